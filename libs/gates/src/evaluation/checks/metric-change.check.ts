import type { CheckResult } from '@modelreg/events';
import type { CheckDefinition } from '../../policy/gate-policy';
import { compareChange, formatNumber } from '../bound-comparison';
import { checkResult, type CheckBase, type CheckContext } from '../check-context';
import { missingResult, noBaselineResult } from './missing';

type MetricChange = Extract<CheckDefinition, { kind: 'metric-change' }>;

/** An overall metric improves on the baseline's by the required margin, e.g. AUC +0.005. */
export function evaluateMetricChange(check: MetricChange, context: CheckContext): CheckResult[] {
  const base = { checkId: check.id, kind: check.kind, metric: check.metric, tolerance: context.tolerance };
  const observed = context.candidate.metrics.overall[check.metric];
  if (!context.baseline)
    return [noBaselineResult(base, { observed: observed ?? null }, context.blockWithoutBaseline, `${check.metric} change`)];
  if (observed === undefined) return [missingResult(base, {}, `candidate metric ${check.metric}`)];
  const baselineValue = context.baseline.metrics.overall[check.metric];
  if (baselineValue === undefined)
    return [missingResult(base, { observed }, `baseline v${context.baseline.modelVersion} metric ${check.metric}`)];
  return [changeResult(base, {}, observed, baselineValue, check.change, context, check.metric)];
}

export function changeResult(
  base: CheckBase,
  extra: { slice?: string },
  observed: number,
  baselineValue: number,
  change: MetricChange['change'],
  context: CheckContext,
  label: string,
): CheckResult {
  const comparison = compareChange(observed, baselineValue, change, context.tolerance);
  const sign = comparison.improvement >= 0 ? '+' : '';
  return checkResult(base, {
    slice: extra.slice ?? null,
    observed,
    baseline: baselineValue,
    threshold: comparison.threshold,
    comparator: comparison.comparator,
    outcome: comparison.passed ? 'PASSED' : 'FAILED',
    explanation:
      `${label} ${formatNumber(observed)} vs ${formatNumber(baselineValue)} on baseline v${context.baseline?.modelVersion}: ` +
      `improvement ${sign}${formatNumber(comparison.improvement)}; ` +
      `required ${comparison.comparator}: ${comparison.passed ? 'passed' : 'failed'}`,
  });
}
