-- Ingestion's own state: version counters, registrations and the transactional outbox.

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

-- Events committed with the state that caused them; the relay appends them to Kafka in id order.
CREATE TABLE outbox (
  id         bigserial PRIMARY KEY,
  topic      text  NOT NULL,
  message_key text NOT NULL,
  value      bytea NOT NULL,
  headers    jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
