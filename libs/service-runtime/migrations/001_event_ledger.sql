-- Shared by every service that consumes or produces events, in the service's own schema.

-- Each consumed event applied once: a redelivered event id changes nothing.
CREATE TABLE applied_events (
  event_id        uuid        PRIMARY KEY,
  consumer_group  text        NOT NULL,
  topic           text        NOT NULL,
  kafka_partition integer     NOT NULL,
  kafka_offset    bigint      NOT NULL,
  applied_at      timestamptz NOT NULL DEFAULT now()
);

-- The next offset to apply per partition, committed in the same transaction as what the batch changed.
CREATE TABLE consumer_positions (
  consumer_group  text    NOT NULL,
  topic           text    NOT NULL,
  kafka_partition integer NOT NULL,
  next_offset     bigint  NOT NULL,
  updated_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer_group, topic, kafka_partition)
);

-- Events committed with the state that caused them; the relay appends them to Kafka in id order.
CREATE TABLE outbox (
  id          bigserial PRIMARY KEY,
  topic       text  NOT NULL,
  message_key text  NOT NULL,
  value       bytea NOT NULL,
  headers     jsonb NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);
