import type { BaselinePolicy } from '../policy/gate-policy';

/** What the gate service knows about a model when a candidate arrives. */
export interface BaselineFacts {
  /** Version serving 100% of traffic in the policy's environment, if exactly one does. */
  servingFullTraffic: number | null;
  /** Versions whose latest gate decision passed, any order. */
  passedVersions: readonly number[];
}

export interface ResolvedBaseline {
  version: number | null;
  /** How it was chosen, recorded in the decision. */
  rule: string;
}

/**
 * The baseline for a candidate: the version serving 100% in production, else the latest version
 * that passed its gate, else none. Never the candidate itself nor a later version.
 */
export function resolveBaseline(policy: BaselinePolicy, facts: BaselineFacts, candidateVersion: number): ResolvedBaseline {
  if (policy.rule === 'none') return { version: null, rule: 'none' };
  if (policy.rule === 'serving-full-traffic-else-latest-passed' && facts.servingFullTraffic !== null && facts.servingFullTraffic !== candidateVersion) {
    return { version: facts.servingFullTraffic, rule: `serving-full-traffic:${policy.environment}` };
  }
  const earlierPassed = facts.passedVersions.filter((version) => version < candidateVersion);
  if (earlierPassed.length > 0) return { version: Math.max(...earlierPassed), rule: 'latest-passed' };
  return { version: null, rule: 'no-baseline' };
}
