import type { CheckResult, TargetOperationalMetrics } from '@modelreg/events';
import type { CheckDefinition } from '../../policy/gate-policy';
import { compareWithBound, formatNumber } from '../bound-comparison';
import { checkResult, type CheckContext } from '../check-context';
import { missingResult } from './missing';

type Operational = Extract<CheckDefinition, { kind: 'operational' }>;

/**
 * An operational measurement per deployment target, e.g. p99 latency under 100 ms for every target
 * the model is meant for (every target it has an artifact for).
 */
export function evaluateOperational(check: Operational, context: CheckContext): CheckResult[] {
  const targets =
    check.targets === 'all-artifact-targets'
      ? [...new Set(context.candidate.artifacts.map((artifact) => artifact.target))].sort()
      : check.targets;
  return targets.map((target) => {
    const base = { checkId: check.id, kind: check.kind, metric: check.metric, target, tolerance: context.tolerance };
    const observed = operationalValue(
      context.candidate.metrics.operational.find((entry) => entry.target === target),
      check.metric,
    );
    if (observed === undefined) return missingResult(base, {}, `${check.metric} for target ${target}`);
    const comparison = compareWithBound(observed, check.bound, context.tolerance);
    return checkResult(base, {
      observed,
      threshold: comparison.threshold,
      comparator: comparison.comparator,
      outcome: comparison.passed ? 'PASSED' : 'FAILED',
      explanation:
        `${check.metric} on ${target} is ${formatNumber(observed)}; ` +
        `required ${comparison.comparator}: ${comparison.passed ? 'passed' : 'failed'}`,
    });
  });
}

/** The metric name of the run's first-class operational field `p99LatencyMs`; other operational metrics come from its map. */
export const P99_LATENCY_METRIC = 'p99_latency_ms';

function operationalValue(entry: TargetOperationalMetrics | undefined, metric: string): number | undefined {
  if (!entry) return undefined;
  if (metric === P99_LATENCY_METRIC && entry.p99LatencyMs !== null) return entry.p99LatencyMs;
  return entry.metrics[metric];
}
