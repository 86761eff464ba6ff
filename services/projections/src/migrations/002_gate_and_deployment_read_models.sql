-- Read models of gate decisions, deployments, online results, and lineage search.

CREATE TABLE gate_decisions (
  event_id         uuid PRIMARY KEY,
  model_name       text        NOT NULL,
  model_version    integer     NOT NULL,
  decided_at       timestamptz NOT NULL,
  verdict          text        NOT NULL,
  eligible         boolean     NOT NULL,
  baseline_version integer,
  baseline_rule    text        NOT NULL,
  policy_id        text        NOT NULL,
  policy_version   integer     NOT NULL,
  policy_hash      text        NOT NULL,
  trigger          text        NOT NULL,
  checks           jsonb       NOT NULL
);
CREATE INDEX gate_decisions_subject ON gate_decisions (model_name, model_version, decided_at);

-- What serves each surface now (100%), and since when.
CREATE TABLE placements (
  model_name      text    NOT NULL,
  environment     text    NOT NULL,
  service         text    NOT NULL,
  surface         text    NOT NULL,
  serving_version integer,
  serving_since   timestamptz,
  PRIMARY KEY (model_name, environment, service, surface)
);

-- Deployments and their latest state (running canaries are status CANARY).
CREATE TABLE deployments (
  deployment_id    text PRIMARY KEY,
  model_name       text    NOT NULL,
  environment      text    NOT NULL,
  service          text    NOT NULL,
  surface          text    NOT NULL,
  model_version    integer NOT NULL,
  status           text    NOT NULL,
  traffic_percent  double precision NOT NULL,
  baseline_version integer,
  started_at       timestamptz NOT NULL,
  updated_at       timestamptz NOT NULL
);
CREATE INDEX deployments_model ON deployments (model_name, status);

-- Every deployment event of a model, in order, with what it said.
CREATE TABLE deployment_timeline (
  event_id      uuid PRIMARY KEY,
  model_name    text        NOT NULL,
  model_version integer,
  occurred_at   timestamptz NOT NULL,
  event_type    text        NOT NULL,
  deployment_id text,
  environment   text,
  service       text,
  surface       text,
  details       jsonb       NOT NULL
);
CREATE INDEX deployment_timeline_model ON deployment_timeline (model_name, occurred_at);

CREATE TABLE online_metrics (
  event_id      uuid PRIMARY KEY,
  model_name    text        NOT NULL,
  model_version integer     NOT NULL,
  environment   text        NOT NULL,
  service       text        NOT NULL,
  surface       text        NOT NULL,
  window_start  timestamptz NOT NULL,
  window_end    timestamptz NOT NULL,
  metrics       jsonb       NOT NULL
);
CREATE INDEX online_metrics_version ON online_metrics (model_name, model_version, window_end);

CREATE TABLE ab_tests (
  event_id          uuid PRIMARY KEY,
  test_id           text        NOT NULL,
  model_name        text        NOT NULL,
  environment       text        NOT NULL,
  service           text        NOT NULL,
  surface           text        NOT NULL,
  control_version   integer     NOT NULL,
  treatment_version integer     NOT NULL,
  decision          text        NOT NULL,
  results           jsonb       NOT NULL,
  concluded_at      timestamptz NOT NULL
);
CREATE INDEX ab_tests_model ON ab_tests (model_name);

-- Lineage search: which versions used a data snapshot or a feature version.
CREATE TABLE version_data_snapshots (
  snapshot_id   text    NOT NULL,
  model_name    text    NOT NULL,
  model_version integer NOT NULL,
  PRIMARY KEY (snapshot_id, model_name, model_version)
);

CREATE TABLE version_features (
  feature_name    text    NOT NULL,
  feature_version text    NOT NULL,
  model_name      text    NOT NULL,
  model_version   integer NOT NULL,
  PRIMARY KEY (feature_name, feature_version, model_name, model_version)
);
