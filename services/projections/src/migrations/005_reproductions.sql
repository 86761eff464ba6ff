-- ReproductionRecorded: a version registered as a reproduction of an earlier one, and how it compared.
CREATE TABLE reproductions (
  event_id uuid PRIMARY KEY,
  model_name text NOT NULL,
  model_version integer NOT NULL,
  reproduced_version integer NOT NULL,
  outcome text NOT NULL,
  recorded_at timestamptz NOT NULL,
  policy_id text NOT NULL,
  policy_version integer NOT NULL,
  policy_hash text NOT NULL,
  comparison jsonb NOT NULL
);
CREATE INDEX reproductions_reproduced ON reproductions (model_name, reproduced_version);
CREATE INDEX reproductions_reproduction ON reproductions (model_name, model_version);
