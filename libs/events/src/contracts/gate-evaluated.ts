import type { EventEnvelope } from './envelope';
import type { EventPrincipal } from './principal';

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
  /** PASSED only when every evaluation in `baselines` passed. */
  verdict: 'PASSED' | 'FAILED';
  eligibleForDeployment: boolean;
  /** One evaluation per placement serving in the policy's environment, or one with no placement; empty in v1 decisions. */
  baselines: PlacementBaseline[];
}

/** The candidate against the version serving one placement (or, with `placement` null, against the latest passed version). */
export interface PlacementBaseline {
  placement: { service: string; surface: string; environment: string } | null;
  baselineVersion: number | null;
  baselineRule: string;
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

/** Mirrors schemas/gates/GatePolicyPublished (latest version). */
export interface GatePolicyPublished {
  envelope: EventEnvelope;
  policyId: string;
  policyVersion: number;
  contentHash: string;
  modelPatterns: string[];
  /** Canonical JSON of the policy document. */
  document: string;
  publishedBy: string | null;
}

/** Mirrors schemas/gates/PolicyProposed: a loosening policy version waiting for a second policy admin. */
export interface PolicyProposed {
  envelope: EventEnvelope;
  proposalId: string;
  policyId: string;
  policyVersion: number;
  contentHash: string;
  /** Canonical JSON of the proposed document. */
  document: string;
  loosening: string[];
}

/** Mirrors schemas/gates/PolicyApproved: a second, different policy admin approved a proposal. */
export interface PolicyApproved {
  envelope: EventEnvelope;
  proposalId: string;
  policyId: string;
  policyVersion: number;
  contentHash: string;
  proposedBy: EventPrincipal | null;
}

/** Envelope subject (and Kafka key) of a policy's events: never a model name, which cannot start with '@'. */
export function policySubject(policyId: string): string {
  return `@policy:${policyId}`;
}
