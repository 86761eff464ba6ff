-- The outbox relay's bookkeeping, so that a restart never appends a record twice.

-- Per partition the relay appends to: the offset from which the log may hold records of rows still
-- in the outbox. Below it, every record this outbox appended has had its row deleted. After a crash
-- the relay reads from here to the end and deletes the rows whose records it finds.
CREATE TABLE outbox_log_positions (
  topic           text    NOT NULL,
  kafka_partition integer NOT NULL,
  scan_from       bigint  NOT NULL,
  PRIMARY KEY (topic, kafka_partition)
);

-- Records the broker refused for good whose bytes the dead-letter topic could not take either: kept
-- here, by outbox id, while the dead-letter topic gets a record naming them. Nothing is lost.
CREATE TABLE outbox_rejected (
  id          bigint      PRIMARY KEY,
  topic       text        NOT NULL,
  message_key text        NOT NULL,
  value       bytea       NOT NULL,
  headers     jsonb       NOT NULL,
  created_at  timestamptz NOT NULL,
  reason      text        NOT NULL,
  rejected_at timestamptz NOT NULL DEFAULT now()
);
