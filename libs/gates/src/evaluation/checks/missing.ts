import type { CheckResult } from '@modelreg/events';
import { checkResult, type CheckBase } from '../check-context';

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
    explanation: block ? `${what}: there is no baseline and the policy blocks without one` : `${what}: skipped, no baseline (the policy evaluates value checks only)`,
  });
}
