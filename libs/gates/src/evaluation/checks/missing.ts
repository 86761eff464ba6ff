import type { CheckResult } from '@modelreg/events';
import { checkResult } from '../check-context';

/** A check whose input is absent fails: nothing passes by absence. */
export function missingResult(fields: Omit<Parameters<typeof checkResult>[0], 'outcome' | 'explanation' | 'reason'>, what: string): CheckResult {
  return checkResult({ ...fields, outcome: 'FAILED', reason: 'missing', explanation: `${what} is missing, so the check fails` });
}

export function noBaselineResult(fields: Omit<Parameters<typeof checkResult>[0], 'outcome' | 'explanation' | 'reason'>, block: boolean, what: string): CheckResult {
  return checkResult({
    ...fields,
    outcome: block ? 'FAILED' : 'SKIPPED',
    reason: 'no-baseline',
    explanation: block ? `${what}: there is no baseline and the policy blocks without one` : `${what}: skipped, no baseline (the policy evaluates value checks only)`,
  });
}
