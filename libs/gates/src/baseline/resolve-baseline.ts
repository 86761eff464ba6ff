import type { BaselinePolicy } from '../policy/gate-policy';

/** A surface of a service in an environment, where a model's versions serve. */
export interface PlacementRef {
  service: string;
  surface: string;
  environment: string;
}

/** What serves one placement of the model: the deployments' placement fold decides it. */
export interface ServingPlacement extends PlacementRef {
  servingVersion: number | null;
}

/** What the gate service knows about a model when a candidate arrives. */
export interface BaselineFacts {
  /** Every placement of the model, with the version serving it 100% (null when none does). */
  placements: readonly ServingPlacement[];
  /** Versions whose latest gate decision passed, any order. */
  passedVersions: readonly number[];
}

export interface ResolvedBaseline {
  /** The placement whose serving version is the baseline; null under the latest-passed rule. */
  placement: PlacementRef | null;
  version: number | null;
  /** How it was chosen, recorded in the decision. */
  rule: string;
}

/**
 * The baselines for a candidate: under `serving-full-traffic-else-latest-passed`, one per placement
 * serving 100% in the policy's environment (ordered by service, then surface), its serving version;
 * with no such placement, one: the latest earlier version that passed its gate, else none. Never
 * the candidate itself nor a later version: where the candidate serves, that placement's baseline
 * is the latest earlier passed version.
 */
export function resolveBaselines(policy: BaselinePolicy, facts: BaselineFacts, candidateVersion: number): ResolvedBaseline[] {
  if (policy.rule === 'none') return [{ placement: null, version: null, rule: 'none' }];
  const serving =
    policy.rule === 'serving-full-traffic-else-latest-passed'
      ? facts.placements.filter((p) => p.environment === policy.environment && p.servingVersion !== null).sort(byServiceAndSurface)
      : [];
  if (serving.length === 0) return [{ placement: null, ...latestPassed(facts, candidateVersion) }];
  return serving.map(({ servingVersion, ...placement }) => ({
    placement: { service: placement.service, surface: placement.surface, environment: placement.environment },
    ...(servingVersion !== candidateVersion
      ? { version: servingVersion, rule: `serving-full-traffic:${policy.environment}` }
      : latestPassed(facts, candidateVersion)),
  }));
}

function latestPassed(facts: BaselineFacts, candidateVersion: number): { version: number | null; rule: string } {
  const earlierPassed = facts.passedVersions.filter((version) => version < candidateVersion);
  return earlierPassed.length > 0 ? { version: Math.max(...earlierPassed), rule: 'latest-passed' } : { version: null, rule: 'no-baseline' };
}

function byServiceAndSurface(a: PlacementRef, b: PlacementRef): number {
  const key = (p: PlacementRef) => `${p.service}\u0000${p.surface}`;
  return key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;
}
