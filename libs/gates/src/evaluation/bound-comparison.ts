import type { Bound, ChangeRequirement, Deviation } from '../policy/gate-policy';

export interface Comparison {
  passed: boolean;
  /** How the value was compared, e.g. ">= 0.005", "< 500000000", "|x - 1| <= 0.02". */
  comparator: string;
  /** The single number compared against, where there is one. */
  threshold: number | null;
}

/**
 * Compares `value` with a bound under an absolute tolerance: a value within `tolerance` of a
 * threshold counts as equal to it, so inclusive bounds (min, max, maxDeviation) pass at the
 * boundary and exclusive ones (above, below) fail there.
 */
export function compareWithBound(value: number, bound: Bound, tolerance: number): Comparison {
  const parts: Array<{ passed: boolean; text: string; threshold: number }> = [];
  if (bound.min !== undefined) parts.push({ passed: value >= bound.min - tolerance, text: `>= ${bound.min}`, threshold: bound.min });
  if (bound.max !== undefined) parts.push({ passed: value <= bound.max + tolerance, text: `<= ${bound.max}`, threshold: bound.max });
  if (bound.above !== undefined) parts.push({ passed: value > bound.above + tolerance, text: `> ${bound.above}`, threshold: bound.above });
  if (bound.below !== undefined) parts.push({ passed: value < bound.below - tolerance, text: `< ${bound.below}`, threshold: bound.below });
  if (bound.target !== undefined && bound.maxDeviation !== undefined) {
    parts.push({
      passed: Math.abs(value - bound.target) <= bound.maxDeviation + tolerance,
      text: `|x - ${bound.target}| <= ${bound.maxDeviation}`,
      threshold: bound.maxDeviation,
    });
  }
  return {
    passed: parts.length > 0 && parts.every((part) => part.passed),
    comparator: parts.map((part) => part.text).join(' and '),
    threshold: parts.length === 1 ? (parts[0] as { threshold: number }).threshold : null,
  };
}

export interface ChangeComparison extends Comparison {
  /** Improvement in the better direction: candidate - baseline for `higher`, baseline - candidate for `lower`. */
  improvement: number;
  relativeImprovement: number | null;
}

/** Whether a candidate improves on the baseline by the required absolute and/or relative margin. */
export function compareChange(candidate: number, baseline: number, change: ChangeRequirement, tolerance: number): ChangeComparison {
  const improvement = change.direction === 'higher' ? candidate - baseline : baseline - candidate;
  const relativeImprovement = baseline === 0 ? null : improvement / Math.abs(baseline);
  const parts: Array<{ passed: boolean; text: string; threshold: number }> = [];
  if (change.absolute !== undefined)
    parts.push({
      passed: improvement >= change.absolute - tolerance,
      text: `improvement >= ${change.absolute}`,
      threshold: change.absolute,
    });
  if (change.relative !== undefined) {
    parts.push({
      passed: relativeImprovement !== null && relativeImprovement >= change.relative - tolerance,
      text: `relative improvement >= ${change.relative}`,
      threshold: change.relative,
    });
  }
  return {
    passed: parts.length > 0 && parts.every((part) => part.passed),
    comparator: `${parts.map((part) => part.text).join(' and ')} (${change.direction} is better)`,
    threshold: parts.length === 1 ? (parts[0] as { threshold: number }).threshold : null,
    improvement,
    relativeImprovement,
  };
}

export interface DeviationComparison {
  breached: boolean;
  /** The difference allowed at this reference: the smaller of `absolute` and `relative` × |reference|. */
  allowance: number;
  /** What was allowed, e.g. "<= 0.05", "<= 8% of 0.45 (0.036)", "<= 0.05 and <= 8% of 0.62 (0.0496)". */
  comparator: string;
}

/**
 * Whether `difference` (how far a value moved from `reference` in the direction that matters)
 * breaches a deviation: it does when it exceeds either allowance by more than the comparison
 * tolerance. A 9% move from 0.62 (0.0558) breaches `{ absolute: 0.05 }`; the same 9% from 0.45
 * (0.0405) does not, and breaches `{ relative: 0.08 }` at both.
 */
export function compareDeviation(difference: number, reference: number, deviation: Deviation, tolerance: number): DeviationComparison {
  const parts: Array<{ allowance: number; text: string }> = [];
  if (deviation.absolute !== undefined) parts.push({ allowance: deviation.absolute, text: `<= ${formatNumber(deviation.absolute)}` });
  if (deviation.relative !== undefined) {
    const allowance = deviation.relative * Math.abs(reference);
    parts.push({
      allowance,
      text: `<= ${formatNumber(deviation.relative * 100)}% of ${formatNumber(reference)} (${formatNumber(allowance)})`,
    });
  }
  const allowance = Math.min(...parts.map((part) => part.allowance));
  return {
    breached: parts.length > 0 && difference > allowance + tolerance,
    allowance,
    comparator: parts.map((part) => part.text).join(' and '),
  };
}

/** Numbers in explanations: up to 6 significant digits, no exponent noise for ordinary values. */
export function formatNumber(value: number): string {
  if (Number.isInteger(value)) return String(value);
  return String(Number(value.toPrecision(6)));
}
