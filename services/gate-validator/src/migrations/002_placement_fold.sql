-- What serves each placement of a model: the deployments' placement fold state, as it left it.
CREATE TABLE placements (
  model_name  text  NOT NULL,
  environment text  NOT NULL,
  service     text  NOT NULL,
  surface     text  NOT NULL,
  state       jsonb NOT NULL,
  PRIMARY KEY (model_name, environment, service, surface)
);

-- Replaced by placements: one serving version per environment could not tell surfaces apart.
DROP TABLE serving_full_traffic;

-- The latest verdict is the gate's evolve result; the decision it came from is in decisions.
ALTER TABLE latest_verdicts DROP COLUMN event_id;
