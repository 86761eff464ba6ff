import type { CheckResult } from '@modelreg/events';
import type { CheckDefinition } from '../../policy/gate-policy';
import { formatNumber } from '../bound-comparison';
import { checkResult, type CheckContext } from '../check-context';
import { missingResult } from './missing';

type GroupDisparity = Extract<CheckDefinition, { kind: 'group-disparity' }>;

/**
 * Fairness: for each protected attribute, the largest difference in a metric between any two of
 * its groups (max - min) is at most `maxGap`. The observed value is that gap; the groups with the
 * highest and lowest value are named. An attribute with fewer than two groups, or a group without
 * the metric, fails as missing. So does a group the baseline reports and the candidate does not:
 * a candidate cannot pass parity by leaving out the group it serves worst. Without `attributes`,
 * the check covers every attribute of the candidate and of the baseline.
 */
export function evaluateGroupDisparity(check: GroupDisparity, context: CheckContext): CheckResult[] {
  const fairness = context.candidate.metrics.fairness;
  const baselineFairness = context.baseline?.metrics.fairness ?? [];
  const attributes = check.attributes ?? [...new Set([...fairness, ...baselineFairness].map((entry) => entry.attribute))].sort();
  const base = {
    checkId: check.id,
    kind: check.kind,
    metric: check.metric,
    tolerance: context.tolerance,
    threshold: check.maxGap,
    comparator: `max gap <= ${check.maxGap}`,
  };
  if (attributes.length === 0) return [missingResult(base, {}, `fairness metrics for any protected attribute`)];
  return attributes.map((attribute) => {
    const groups = fairness
      .filter((entry) => entry.attribute === attribute)
      .sort((a, b) => (a.group < b.group ? -1 : a.group > b.group ? 1 : 0));
    const withoutMetric = groups.find((entry) => entry.metrics[check.metric] === undefined);
    const reported = new Set(groups.map((entry) => entry.group));
    const absent = [
      ...new Set(
        baselineFairness.filter((entry) => entry.attribute === attribute && !reported.has(entry.group)).map((entry) => entry.group),
      ),
    ].sort();
    if (absent.length > 0) {
      return missingResult(
        base,
        { group: `${attribute}=${absent[0]}` },
        `data for group${absent.length > 1 ? 's' : ''} ${absent.join(', ')} of ${attribute} ` +
          `(present in baseline v${context.baseline?.modelVersion})`,
      );
    }
    if (groups.length < 2) return missingResult(base, { group: attribute }, `${check.metric} for at least two groups of ${attribute}`);
    if (withoutMetric)
      return missingResult(
        base,
        { group: `${attribute}=${withoutMetric.group}` },
        `${check.metric} for group ${withoutMetric.group} of ${attribute}`,
      );
    const valued = groups.map((entry) => ({ group: entry.group, value: entry.metrics[check.metric] as number }));
    const highest = valued.reduce((a, b) => (b.value > a.value ? b : a));
    const lowest = valued.reduce((a, b) => (b.value < a.value ? b : a));
    const gap = highest.value - lowest.value;
    const passed = gap <= check.maxGap + context.tolerance;
    return checkResult(base, {
      group: attribute,
      observed: gap,
      outcome: passed ? 'PASSED' : 'FAILED',
      explanation:
        `${check.metric} gap across ${attribute} groups is ${formatNumber(gap)} ` +
        `(${highest.group} ${formatNumber(highest.value)} vs ${lowest.group} ${formatNumber(lowest.value)}); ` +
        `required <= ${check.maxGap}: ${passed ? 'passed' : 'failed'}`,
    });
  });
}
