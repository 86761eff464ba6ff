import type { EventEnvelope } from './envelope';

/** Mirrors schemas/gates/GateEvaluated (latest version). */
export interface GateEvaluated {
  envelope: EventEnvelope;
  modelName: string;
  candidateVersion: number;
  baselineVersion: number | null;
  baselineRule: string;
  policy: { policyId: string; policyVersion: number; contentHash: string };
  trigger: string;
  checks: CheckResult[];
  verdict: 'PASSED' | 'FAILED';
  eligibleForDeployment: boolean;
}

export interface CheckResult {
  checkId: string;
  kind: string;
  metric: string | null;
  slice: string | null;
  group: string | null;
  target: string | null;
  observed: number | null;
  baseline: number | null;
  threshold: number | null;
  comparator: string;
  tolerance: number;
  outcome: 'PASSED' | 'FAILED' | 'SKIPPED';
  reason: string | null;
  explanation: string;
}
