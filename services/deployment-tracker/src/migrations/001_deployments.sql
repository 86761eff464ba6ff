-- The deployment tracker's state, built from the log (versions, verdicts, policies) and from the
-- reports it applied. Every change is committed with the events it caused (outbox).

CREATE TABLE versions (
  model_name      text    NOT NULL,
  model_version   integer NOT NULL,
  registered      boolean NOT NULL DEFAULT false,
  offline_metrics jsonb   NOT NULL DEFAULT '{}',
  latest_verdict  text    CHECK (latest_verdict IN ('PASSED', 'FAILED')),
  latest_decision_event_id uuid,
  policy_id       text,
  policy_version  integer,
  PRIMARY KEY (model_name, model_version)
);

CREATE TABLE policies (
  policy_id      text    NOT NULL,
  policy_version integer NOT NULL,
  document       jsonb   NOT NULL,
  PRIMARY KEY (policy_id, policy_version)
);

CREATE TABLE placements (
  model_name            text    NOT NULL,
  environment           text    NOT NULL,
  service               text    NOT NULL,
  surface               text    NOT NULL,
  serving_version       integer,
  serving_deployment_id text,
  serving_since         bigint,
  served_versions       integer[] NOT NULL DEFAULT '{}',
  PRIMARY KEY (model_name, environment, service, surface)
);

CREATE TABLE deployments (
  deployment_id    text PRIMARY KEY,
  model_name       text    NOT NULL,
  environment      text    NOT NULL,
  service          text    NOT NULL,
  surface          text    NOT NULL,
  model_version    integer NOT NULL,
  status           text    NOT NULL CHECK (status IN ('CANARY', 'SERVING', 'SUPERSEDED', 'ROLLED_BACK', 'RETIRED')),
  traffic_percent  double precision NOT NULL,
  baseline_version integer,
  started_at       bigint  NOT NULL,
  last_report_at   bigint  NOT NULL
);
CREATE INDEX deployments_placement ON deployments (model_name, environment, service, surface, status);

-- Every report by id: a report seen before is a no-op that answers as the first time did.
CREATE TABLE reports (
  report_id   text PRIMARY KEY,
  kind        text NOT NULL,
  outcome     text NOT NULL CHECK (outcome IN ('applied', 'rejected')),
  rule        text,
  reason      text,
  events      jsonb NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now()
);

-- The latest online metrics of a version on a placement (baselines for canary guardrails).
CREATE TABLE online_metrics (
  model_name    text    NOT NULL,
  environment   text    NOT NULL,
  service       text    NOT NULL,
  surface       text    NOT NULL,
  model_version integer NOT NULL,
  window_end    bigint  NOT NULL,
  metrics       jsonb   NOT NULL,
  PRIMARY KEY (model_name, environment, service, surface, model_version)
);
