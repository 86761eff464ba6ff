import type { FieldError } from '@modelreg/validation';
import type { CheckKind, GatePolicy } from './gate-policy';
import { patternSpecificity } from './policy-selection';

/** Where a run carries a metric: overall, per traffic slice, per protected group, per deployment target. */
export type MetricPlace = 'overall' | 'slices' | 'fairness' | 'operational';

/** The metric names registered versions carry, by place. */
export type CarriedMetrics = Readonly<Record<MetricPlace, ReadonlySet<string>>>;

/** Where each check kind reads its metric; artifact checks read none. */
const CHECK_METRIC_PLACE: { [K in CheckKind]: MetricPlace | null } = {
  'metric-threshold': 'overall',
  'metric-change': 'overall',
  'slice-threshold': 'slices',
  'slice-change': 'slices',
  'group-disparity': 'fairness',
  operational: 'operational',
  'artifact-size': null,
  'artifact-format': null,
  'artifact-signature': null,
};

const PLACE_WORDS: Record<MetricPlace, string> = {
  overall: 'overall metric',
  slices: 'slice metric',
  fairness: 'group metric',
  operational: 'operational metric',
};

/** The model names a policy's patterns match, of those given. */
export function modelsMatching(policy: GatePolicy, modelNames: readonly string[]): string[] {
  return modelNames.filter((name) => policy.models.some((pattern) => patternSpecificity(pattern, name) >= 0));
}

/**
 * Warnings for a policy about to be published: each metric a check or the offline/online
 * tolerance names that no registered version of its models carries where it would be read (a
 * check on it would fail as missing; a tolerance would never fire). Canary guardrails name online
 * metrics, which runs do not carry, so they are not compared. `carried` null: no version of the
 * policy's models is registered yet, so nothing can be compared.
 */
export function policyMetricWarnings(policy: GatePolicy, carried: CarriedMetrics | null): FieldError[] {
  const models = policy.models.join(', ');
  if (!carried)
    return [
      { field: 'models', message: `no version of a model matching ${models} is registered yet, so the metric names could not be checked` },
    ];
  const warnings: FieldError[] = [];
  const expect = (field: string, metric: string, place: MetricPlace, consequence: string) => {
    if (!carried[place].has(metric))
      warnings.push({ field, message: `no registered version of ${models} carries ${PLACE_WORDS[place]} "${metric}": ${consequence}` });
  };
  policy.checks.forEach((check, index) => {
    const place = CHECK_METRIC_PLACE[check.kind];
    if (place && 'metric' in check) expect(`checks[${index}].metric`, check.metric, place, 'the check fails as missing until one does');
  });
  for (const metric of Object.keys(policy.guardrails.offlineOnlineTolerance)) {
    expect(`guardrails.offlineOnlineTolerance.${metric}`, metric, 'overall', 'no divergence can be detected for it until one does');
  }
  return warnings;
}
