import type { CheckResult } from '@modelreg/events';
import type { CheckDefinition } from '../../policy/gate-policy';
import type { CheckContext } from '../check-context';
import { selectSlices, sliceMetric } from '../slice-selection';
import { changeResult } from './metric-change.check';
import { missingResult, noBaselineResult } from './missing';

type SliceChange = Extract<CheckDefinition, { kind: 'slice-change' }>;

/** A metric improves on the baseline's, slice by slice, e.g. no slice of the top 5 loses more than 0.01 AUC. */
export function evaluateSliceChange(check: SliceChange, context: CheckContext): CheckResult[] {
  const { names, shortfall } = selectSlices(context.candidate.metrics.slices, check.slices);
  const base = { checkId: check.id, kind: check.kind, metric: check.metric, tolerance: context.tolerance };
  const results = names.map((name) => {
    const observed = sliceMetric(context.candidate.metrics.slices, name, check.metric);
    if (!context.baseline) return noBaselineResult(base, { slice: name, observed: observed ?? null }, context.blockWithoutBaseline, `${check.metric} change on slice ${name}`);
    if (observed === undefined) return missingResult(base, { slice: name }, `candidate ${check.metric} on slice ${name}`);
    const baselineValue = sliceMetric(context.baseline.metrics.slices, name, check.metric);
    if (baselineValue === undefined) return missingResult(base, { slice: name, observed }, `baseline v${context.baseline.modelVersion} ${check.metric} on slice ${name}`);
    return changeResult(base, { slice: name }, observed, baselineValue, check.change, context, `${check.metric} on slice ${name}`);
  });
  for (let index = 0; index < shortfall; index += 1) {
    results.push(missingResult(base, { slice: `#${names.length + index + 1} by traffic` }, `slice #${names.length + index + 1} by traffic share`));
  }
  return results;
}
