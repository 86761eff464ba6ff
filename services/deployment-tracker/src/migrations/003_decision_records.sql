-- The signed GateEvaluated record each latest verdict comes from, as appended: with event keys
-- configured the tracker decides from this record once its signature holds, not from the verdict
-- columns, so an edited row cannot let a failed version through (docs/ARCHITECTURE.md).
ALTER TABLE versions ADD COLUMN latest_decision_record bytea;
