-- Ingestion's own state: version counters and registrations (its outbox is in the runtime migration set).

-- One row per model; incremented under a row lock in the registering transaction, so versions
-- are gapless (a rolled-back registration rolls back its increment too).
CREATE TABLE model_version_counters (
  model_name   text PRIMARY KEY,
  last_version integer NOT NULL CHECK (last_version > 0)
);

CREATE TABLE registrations (
  model_name      text        NOT NULL,
  model_version   integer     NOT NULL,
  training_run_id text        NOT NULL,
  event_id        uuid        NOT NULL UNIQUE,
  request_hash    text        NOT NULL,
  registered_at   timestamptz NOT NULL,
  PRIMARY KEY (model_name, model_version),
  UNIQUE (model_name, training_run_id)
);

