import type { CheckResult } from '@modelreg/events';
import { checkResult, type CheckBase } from '../check-context';
import type { SelectedSlices } from '../slice-selection';

type Extra = Partial<Omit<CheckResult, 'outcome' | 'explanation' | 'reason' | 'checkId' | 'kind'>>;

/** A check whose input is absent fails: nothing passes by absence. */
export function missingResult(base: CheckBase, extra: Extra, what: string): CheckResult {
  return checkResult(base, { ...extra, outcome: 'FAILED', reason: 'missing', explanation: `${what} is missing, so the check fails` });
}

export function noBaselineResult(base: CheckBase, extra: Extra, block: boolean, what: string): CheckResult {
  return checkResult(base, {
    ...extra,
    outcome: block ? 'FAILED' : 'SKIPPED',
    reason: 'no-baseline',
    explanation: block
      ? `${what}: there is no baseline and the policy blocks without one`
      : `${what}: skipped, no baseline (the policy evaluates value checks only)`,
  });
}

/** A selected slice the candidate does not report at all, e.g. one of the baseline's top 5 by traffic. */
export function missingSliceResult(base: CheckBase, slice: string, basis: string | null): CheckResult {
  return missingResult(base, { slice }, `the candidate's slice ${slice}${basis ? ` (${basis})` : ''}`);
}

/** One missing result per slice short of the k a top-k selection asks for. */
export function shortfallResults(base: CheckBase, selected: SelectedSlices): CheckResult[] {
  return Array.from({ length: selected.shortfall }, (_, index) => {
    const rank = selected.names.length + index + 1;
    return missingResult(base, { slice: `#${rank} by traffic` }, `slice #${rank} by traffic share`);
  });
}
