-- Tamper evidence (docs/ARCHITECTURE.md, "Signed events and hash chains").

-- Producer side: per stream (topic, subject: the Kafka key) this service appends to, the hash of the
-- last event it queued. The transaction that queues the next event of the stream locks this row, so
-- the chain order is the outbox order, which the relay keeps on the log.
CREATE TABLE event_chain_heads (
  topic      text NOT NULL,
  stream_key text NOT NULL,
  head_hash  text,
  PRIMARY KEY (topic, stream_key)
);

-- Consumer side: per consumer group and stream, the hash of the last event it believed (signature
-- held, chain continued). Moved in the event ledger's transaction.
CREATE TABLE verified_chain_heads (
  consumer_group text NOT NULL,
  topic          text NOT NULL,
  stream_key     text NOT NULL,
  head_hash      text NOT NULL,
  PRIMARY KEY (consumer_group, topic, stream_key)
);
