import type { EventEnvelope } from './envelope';

/** Mirrors schemas/gates/ReproductionRecorded (latest version). */
export interface ReproductionRecorded {
  envelope: EventEnvelope;
  modelName: string;
  /** The version the reproduction run was registered as. */
  modelVersion: number;
  /** The earlier version it reproduces. */
  reproducedVersion: number;
  outcome: ReproductionOutcome;
  policy: { policyId: string; policyVersion: number; contentHash: string };
  artifacts: ReproducedArtifact[];
  metrics: ReproducedMetric[];
  lineageDifferences: LineageDifference[];
  environment: { originalFingerprint: string; reproducedFingerprint: string; identical: boolean };
  /** One sentence per difference, most serious first. */
  differences: string[];
}

/**
 * EXACT: same bytes, metrics, lineage and environment; WITHIN_TOLERANCE: same inputs, differences the policy
 * allows; DIVERGED: anything else.
 */
export type ReproductionOutcome = 'EXACT' | 'WITHIN_TOLERANCE' | 'DIVERGED';

export interface ReproducedArtifact {
  target: string;
  originalSha256: string | null;
  reproducedSha256: string | null;
  identical: boolean;
}

export interface ReproducedMetric {
  metric: string;
  original: number | null;
  reproduced: number | null;
  difference: number | null;
  allowed: string;
  outcome: 'EXACT' | 'WITHIN_TOLERANCE' | 'DIVERGED' | 'MISSING';
}

export interface LineageDifference {
  field: string;
  original: string | null;
  reproduced: string | null;
}
