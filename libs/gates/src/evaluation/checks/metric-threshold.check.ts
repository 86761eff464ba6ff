import type { CheckResult } from '@modelreg/events';
import type { CheckDefinition } from '../../policy/gate-policy';
import { compareWithBound, formatNumber } from '../bound-comparison';
import { checkResult, type CheckContext } from '../check-context';
import { missingResult } from './missing';

type MetricThreshold = Extract<CheckDefinition, { kind: 'metric-threshold' }>;

/** An overall validation metric within a bound, e.g. AUC >= 0.85. */
export function evaluateMetricThreshold(check: MetricThreshold, context: CheckContext): CheckResult[] {
  const base = { checkId: check.id, kind: check.kind, metric: check.metric, tolerance: context.tolerance };
  const observed = context.candidate.metrics.overall[check.metric];
  if (observed === undefined) return [missingResult(base, {}, `overall metric ${check.metric}`)];
  const comparison = compareWithBound(observed, check.bound, context.tolerance);
  return [
    checkResult(base, {
      observed,
      threshold: comparison.threshold,
      comparator: comparison.comparator,
      outcome: comparison.passed ? 'PASSED' : 'FAILED',
      explanation:
        `${check.metric} is ${formatNumber(observed)}; ` + `required ${comparison.comparator}: ${comparison.passed ? 'passed' : 'failed'}`,
    }),
  ];
}
