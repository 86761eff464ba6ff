import type { ArtifactRecord, CheckResult, ValidationMetrics } from '@modelreg/events';

/** What a gate evaluates: a registered version's metrics and artifacts. */
export interface GateSubject {
  modelName: string;
  modelVersion: number;
  metrics: ValidationMetrics;
  artifacts: ArtifactRecord[];
}

export interface CheckContext {
  candidate: GateSubject;
  baseline: GateSubject | null;
  tolerance: number;
  /** With no baseline: change checks are skipped (false) or failed (true). */
  blockWithoutBaseline: boolean;
}

/** A check result with every optional field defaulted; each check kind fills in what it compared. */
export function checkResult(fields: Partial<CheckResult> & Pick<CheckResult, 'checkId' | 'kind' | 'comparator' | 'outcome' | 'explanation'>): CheckResult {
  return { metric: null, slice: null, group: null, target: null, observed: null, baseline: null, threshold: null, tolerance: 0, reason: null, ...fields };
}
