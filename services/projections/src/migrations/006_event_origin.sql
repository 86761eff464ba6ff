-- Who asked: the principal ({subject, issuer, roles}) and request id of the request that caused
-- each timeline event (events from v2 envelopes on; null before, and on outside parties' reports).
ALTER TABLE deployment_timeline ADD COLUMN principal jsonb;
ALTER TABLE deployment_timeline ADD COLUMN request_id text;
