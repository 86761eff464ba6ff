-- The latest decision's verdict on each placement it compared the version on (GateEvaluated v2 baselines).
ALTER TABLE versions ADD COLUMN placement_verdicts jsonb NOT NULL DEFAULT '[]';
