-- The gate service's own state, built from the log and its own decisions.

-- What a gate evaluates of each registered version (from RunRegistered).
CREATE TABLE subjects (
  model_name    text    NOT NULL,
  model_version integer NOT NULL,
  metrics       jsonb   NOT NULL,
  artifacts     jsonb   NOT NULL,
  PRIMARY KEY (model_name, model_version)
);

-- Every decision ever made; a re-evaluation appends, never rewrites.
CREATE TABLE decisions (
  event_id         uuid        PRIMARY KEY,
  model_name       text        NOT NULL,
  model_version    integer     NOT NULL,
  decided_at       timestamptz NOT NULL,
  verdict          text        NOT NULL CHECK (verdict IN ('PASSED', 'FAILED')),
  baseline_version integer,
  policy_id        text        NOT NULL,
  policy_version   integer     NOT NULL,
  trigger          text        NOT NULL,
  decision         jsonb       NOT NULL
);
CREATE INDEX decisions_subject ON decisions (model_name, model_version, decided_at);

-- The latest verdict per version: what baselines and canaries go by.
CREATE TABLE latest_verdicts (
  model_name    text    NOT NULL,
  model_version integer NOT NULL,
  verdict       text    NOT NULL,
  event_id      uuid    NOT NULL,
  PRIMARY KEY (model_name, model_version)
);

-- The version most recently serving 100% of a surface, per model and environment.
CREATE TABLE serving_full_traffic (
  model_name    text    NOT NULL,
  environment   text    NOT NULL,
  model_version integer NOT NULL,
  PRIMARY KEY (model_name, environment)
);

-- Published policy versions; append-only.
CREATE TABLE policies (
  policy_id      text        NOT NULL,
  policy_version integer     NOT NULL,
  content_hash   text        NOT NULL,
  document       jsonb       NOT NULL,
  event_id       uuid        NOT NULL UNIQUE,
  published_at   timestamptz NOT NULL,
  PRIMARY KEY (policy_id, policy_version)
);
