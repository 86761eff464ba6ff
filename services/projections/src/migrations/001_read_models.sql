-- Read models built from the event log. Writes are guarded by the runtime's event ledger
-- (applied_events, consumer_positions), committed in the same transaction.

-- Every event that concerns a model, by its log coordinates: the index for audit exports.
CREATE TABLE event_index (
  event_id        uuid        PRIMARY KEY,
  event_type      text        NOT NULL,
  model_name      text        NOT NULL,
  model_version   integer,
  topic           text        NOT NULL,
  kafka_partition integer     NOT NULL,
  kafka_offset    bigint      NOT NULL,
  occurred_at     timestamptz NOT NULL,
  -- When the registry recorded it: the record's Kafka timestamp. Audit exports follow this order.
  logged_at       timestamptz NOT NULL
);
CREATE INDEX event_index_subject ON event_index (model_name, model_version);

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
