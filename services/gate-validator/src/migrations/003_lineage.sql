-- Every registered version's lineage (RunRegistered without its envelope): what a reproduction is compared with.
CREATE TABLE lineage (
  model_name    text    NOT NULL,
  model_version integer NOT NULL,
  lineage       jsonb   NOT NULL,
  PRIMARY KEY (model_name, model_version)
);
