-- The placement fold's whole state: the serving deployment and every version that served (rollback targets).
ALTER TABLE placements ADD COLUMN serving_deployment_id text;
ALTER TABLE placements ADD COLUMN served_versions integer[] NOT NULL DEFAULT '{}';

-- Every evaluation of a decision, one per placement compared (GateEvaluated v2); empty for v1 decisions.
ALTER TABLE gate_decisions ADD COLUMN baselines jsonb NOT NULL DEFAULT '[]';
