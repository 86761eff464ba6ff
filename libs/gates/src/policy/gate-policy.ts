import type { TrustedSigner } from '@modelreg/lineage';

/**
 * A promotion policy: versioned data, published through the gate service's API and recorded in the
 * log. Thresholds are inclusive unless a bound says `below`/`above`; `tolerance` is the absolute
 * slack used when comparing floating-point numbers (values within it of a threshold count as equal
 * to it, so an inclusive bound passes and an exclusive one fails).
 */
export interface GatePolicy {
  policyId: string;
  version: number;
  description: string;
  /** Model name patterns this policy governs: exact names or a prefix ending in `*`. */
  models: string[];
  baseline: BaselinePolicy;
  /** Absolute comparison tolerance, e.g. 1e-9. */
  tolerance: number;
  checks: CheckDefinition[];
  /** Online guardrails for canaries and the offline/online divergence tolerance (used by deployment tracking). */
  guardrails: Guardrails;
  /**
   * Keys trusted to sign the governed models' artifacts (OpenSSF model-signing, key mode), read by
   * `artifact-signature` checks. Policy data, so the log records which keys were trusted when.
   * Absent in documents that never set it (their content hash is unchanged).
   */
  trustedSigners?: TrustedSigner[];
  /**
   * How far a reproduction's metrics may be from the original's (ReproductionRecorded); a metric not listed
   * must match exactly. Absent when never set.
   */
  reproduction?: ReproductionTolerance;
}

export interface ReproductionTolerance {
  /** Per overall metric (canonical name): the allowed difference, absolute and/or relative to the original's value. */
  metricTolerance: Record<string, Deviation>;
}

export type BaselineRule = 'serving-full-traffic-else-latest-passed' | 'latest-passed' | 'none';

export interface BaselinePolicy {
  rule: BaselineRule;
  /** Environment whose 100% serving version is the baseline, e.g. production. */
  environment: string;
  /** With no baseline: `value-checks-only` skips change checks (reported as skipped), `block` fails them. */
  whenMissing: 'value-checks-only' | 'block';
}

/** A bound on a number. Inclusive `min`/`max`, exclusive `above`/`below`, or within `maxDeviation` of `target`. */
export interface Bound {
  min?: number;
  max?: number;
  above?: number;
  below?: number;
  target?: number;
  maxDeviation?: number;
}

export type SliceSelection = { names: string[] } | { topKByTraffic: number };

/** `higher`: larger is better (AUC); `lower`: smaller is better (log loss, latency). */
export type Direction = 'higher' | 'lower';

/**
 * Required change against the baseline: at least `absolute` and/or at least `relative` (fraction) in the
 * better direction. Negative values allow a bounded regression.
 */
export interface ChangeRequirement {
  direction: Direction;
  absolute?: number;
  relative?: number;
}

export type CheckDefinition =
  | { id: string; kind: 'metric-threshold'; metric: string; bound: Bound }
  | { id: string; kind: 'metric-change'; metric: string; change: ChangeRequirement }
  | { id: string; kind: 'slice-threshold'; metric: string; slices: SliceSelection; bound: Bound }
  | { id: string; kind: 'slice-change'; metric: string; slices: SliceSelection; change: ChangeRequirement }
  | { id: string; kind: 'group-disparity'; metric: string; attributes?: string[]; maxGap: number }
  | { id: string; kind: 'artifact-size'; target: string; bound: Bound; ifAbsent: 'fail' | 'skip' }
  | { id: string; kind: 'artifact-format'; target: string; formats: string[]; ifAbsent: 'fail' | 'skip' }
  | { id: string; kind: 'artifact-signature'; target: string; required: boolean }
  | { id: string; kind: 'operational'; metric: string; targets: 'all-artifact-targets' | string[]; bound: Bound };

export type CheckKind = CheckDefinition['kind'];

export interface Guardrails {
  /** Canary metrics compared against the baseline version serving the same surface. */
  canary: CanaryGuardrail[];
  /**
   * How far an online metric may be from its offline value, per metric, before
   * OfflineOnlineDivergenceDetected. A number is an absolute allowance (the form published before
   * relative bounds existed, kept as written so such documents keep their content hash).
   */
  offlineOnlineTolerance: Record<string, number | Deviation>;
}

/**
 * How far a value may move from a reference value. `absolute`: the difference may be at most this
 * much; `relative`: the difference divided by |reference| may be at most this fraction (0.08 = 8%).
 * With both, either breach fires: the allowance is the smaller of the two. A reference of 0 has no
 * relative scale, so with it `relative` allows no difference at all (beyond the policy tolerance).
 */
export interface Deviation {
  absolute?: number;
  relative?: number;
}

export interface CanaryGuardrail {
  metric: string;
  /** Absolute ceiling or floor on the canary's value, e.g. p99_latency_ms below 100. */
  bound?: Bound;
  /** Largest allowed regression against the baseline's online value, absolute and/or relative (see Deviation). */
  maxRegression?: Deviation;
  /** Which way is better for `maxRegression` (default `higher`): a regression is a drop for `higher`, a rise for `lower`. */
  direction?: Direction;
  /**
   * Largest allowed relative drop (fraction, e.g. 0.03 for a 3% CTR drop): the earlier spelling of
   * `maxRegression: { relative }` with `direction: higher`.
   */
  maxRelativeDrop?: number;
}
