import type { ArtifactRecord, CheckResult, ValidationMetrics } from '@modelreg/events';
import type { TrustedSigner } from '@modelreg/lineage';

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
  /** The policy's trusted signers, for artifact-signature checks. */
  trustedSigners: readonly TrustedSigner[];
}

type CheckFields = Partial<CheckResult>;

/**
 * A check result: `fields` over `base` (what every result of one check shares), every optional
 * field defaulted. Built as one fixed-shape literal in schema order, without object spread:
 * evaluations create hundreds of results per call and V8's spread-then-extend is slow.
 */
export function checkResult(
  base: CheckFields & Pick<CheckResult, 'checkId' | 'kind'>,
  fields: CheckFields & Pick<CheckResult, 'outcome' | 'explanation'>,
): CheckResult {
  return {
    checkId: base.checkId,
    kind: base.kind,
    metric: fields.metric ?? base.metric ?? null,
    slice: fields.slice ?? base.slice ?? null,
    group: fields.group ?? base.group ?? null,
    target: fields.target ?? base.target ?? null,
    observed: fields.observed ?? base.observed ?? null,
    baseline: fields.baseline ?? base.baseline ?? null,
    threshold: fields.threshold ?? base.threshold ?? null,
    comparator: fields.comparator ?? base.comparator ?? 'n/a',
    tolerance: fields.tolerance ?? base.tolerance ?? 0,
    outcome: fields.outcome,
    reason: fields.reason ?? base.reason ?? null,
    explanation: fields.explanation,
  };
}

export type CheckBase = Parameters<typeof checkResult>[0];
