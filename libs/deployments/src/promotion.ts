import type { GateEvaluated } from '@modelreg/events';
import type { Placement } from './deployment-report';
import type { VersionFacts } from './deployment-state';

/** A version's verdict on one placement, from its latest gate decision. */
export interface PlacementVerdict {
  service: string;
  surface: string;
  environment: string;
  verdict: 'PASSED' | 'FAILED';
}

const samePlace = (
  a: { service: string; surface: string; environment: string },
  b: { service: string; surface: string; environment: string },
) => a.service === b.service && a.surface === b.surface && a.environment === b.environment;

/** The per-placement verdicts a decision records (none for a v1 decision, or one made against the latest passed version). */
export function placementVerdicts(decision: GateEvaluated): PlacementVerdict[] {
  return decision.baselines.flatMap((baseline) => (baseline.placement ? [{ ...baseline.placement, verdict: baseline.verdict }] : []));
}

/**
 * Whether a version may go to a placement: its latest decision's verdict against that placement's
 * serving version where the decision compared with it, else the decision's overall verdict.
 */
export function verdictOn(version: VersionFacts, placement: Placement): 'PASSED' | 'FAILED' | null {
  return version.placementVerdicts.find((entry) => samePlace(entry, placement))?.verdict ?? version.latestVerdict;
}

/**
 * Where a gate decision promotes its candidate (ModelPromoted each): every placement of the model,
 * and every placement it was compared on, where it is eligible: by its evaluation against that
 * placement's serving version where there is one, else by the decision's overall eligibility (all
 * its evaluations passed). Ordered as the model's placements, then the compared ones.
 */
export function promotionTargets(decision: GateEvaluated, modelPlacements: readonly Placement[]): Placement[] {
  const compared = decision.baselines.flatMap((baseline) =>
    baseline.placement ? [{ modelName: decision.modelName, ...baseline.placement }] : [],
  );
  const candidates = [...modelPlacements, ...compared.filter((placement) => !modelPlacements.some((known) => samePlace(known, placement)))];
  return candidates.filter(
    (placement) =>
      decision.baselines.find((baseline) => baseline.placement && samePlace(baseline.placement, placement))?.eligibleForDeployment ??
      decision.eligibleForDeployment,
  );
}
