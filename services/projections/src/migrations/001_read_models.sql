-- Read models built from the event log. Every write is guarded by event id and Kafka position.

-- Each applied event once; a redelivered event id is ignored.
CREATE TABLE applied_events (
  event_id     uuid PRIMARY KEY,
  event_type   text        NOT NULL,
  model_name   text        NOT NULL,
  model_version integer,
  topic        text        NOT NULL,
  kafka_partition integer  NOT NULL,
  kafka_offset bigint      NOT NULL,
  occurred_at  timestamptz NOT NULL,
  applied_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX applied_events_subject ON applied_events (model_name, model_version);

-- The next offset to apply per partition, committed in the same transaction as the rows.
CREATE TABLE consumer_positions (
  consumer_group  text    NOT NULL,
  topic           text    NOT NULL,
  kafka_partition integer NOT NULL,
  next_offset     bigint  NOT NULL,
  updated_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer_group, topic, kafka_partition)
);

CREATE TABLE models (
  model_name          text PRIMARY KEY,
  latest_version      integer     NOT NULL,
  version_count       integer     NOT NULL,
  first_registered_at timestamptz NOT NULL,
  last_registered_at  timestamptz NOT NULL
);

CREATE TABLE model_versions (
  model_name      text        NOT NULL,
  model_version   integer     NOT NULL,
  training_run_id text        NOT NULL,
  registered_at   timestamptz NOT NULL,
  code_repository text        NOT NULL,
  code_commit     text        NOT NULL,
  code_hash       text        NOT NULL,
  environment_fingerprint text NOT NULL,
  lineage         jsonb       NOT NULL,
  event_id        uuid        NOT NULL UNIQUE,
  PRIMARY KEY (model_name, model_version)
);
CREATE INDEX model_versions_commit ON model_versions (code_commit);
CREATE INDEX model_versions_environment ON model_versions (environment_fingerprint);
