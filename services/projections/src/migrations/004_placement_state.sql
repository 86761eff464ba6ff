-- The placement fold's whole state: the serving deployment and every version that served (rollback targets).
ALTER TABLE placements ADD COLUMN serving_deployment_id text;
ALTER TABLE placements ADD COLUMN served_versions integer[] NOT NULL DEFAULT '{}';
