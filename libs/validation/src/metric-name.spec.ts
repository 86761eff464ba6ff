import { FieldReader } from './field-reader';
import { canonicalMetricName, metricEntries, METRIC_NAME_HINT, readMetricName } from './metric-name';

describe('the metric-naming rule', () => {
  it.each([
    ['auc', 'auc'],
    ['ndcg_at_20', 'ndcg_at_20'],
    ['ndcg@20', 'ndcg_at_20'],
    ['NDCG@20', 'ndcg_at_20'],
    ['precision@10', 'precision_at_10'],
    ['top1.acc', 'top1_acc'],
    ['p99-latency-ms', 'p99_latency_ms'],
  ])('spells %s as %s', (written, canonical) => {
    expect(canonicalMetricName(written)).toBe(canonical);
  });

  it.each([
    ['a space', 'ndcg 20'],
    ['a slash', 'auc/slice'],
    ['a leading digit', '1auc'],
    ['a leading underscore', '_auc'],
    ['a leading @', '@20'],
    ['a non-ASCII letter', 'précision'],
    ['a non-ASCII letter that lower-cases to ASCII (Kelvin sign)', '\u212Aappa'],
    ['an empty name', ''],
    ['129 characters', 'a'.repeat(129)],
    ['a name that grows past 128 characters', `${'a'.repeat(125)}@1`],
  ])('rejects a name with %s', (_case, written) => {
    expect(canonicalMetricName(written)).toBeUndefined();
  });

  it('accepts 128 characters, the longest name', () => {
    expect(canonicalMetricName('a'.repeat(128))).toBe('a'.repeat(128));
  });

  it('reads a metric name as a field, naming the rule when it cannot be one', () => {
    const r = new FieldReader();
    expect(readMetricName(r, 'NDCG@20', 'checks[0].metric')).toBe('ndcg_at_20');
    expect(readMetricName(r, 'ndcg 20', 'checks[1].metric')).toBeUndefined();
    expect(readMetricName(r, 20, 'checks[2].metric')).toBeUndefined();
    expect(r.errors).toEqual([
      { field: 'checks[1].metric', message: METRIC_NAME_HINT },
      { field: 'checks[2].metric', message: 'must be a string' },
    ]);
  });

  it('reads the keys of a metric map canonically, and refuses two keys naming one metric', () => {
    const r = new FieldReader();
    const entries = metricEntries(r, { auc: 0.9, 'ndcg@20': 0.5, ndcg_at_20: 0.6, 'bad key': 1 }, 'metrics');
    expect(entries).toEqual([
      { metric: 'auc', value: 0.9, field: 'metrics.auc' },
      { metric: 'ndcg_at_20', value: 0.5, field: 'metrics.ndcg@20' },
    ]);
    expect(r.errors).toEqual([
      { field: 'metrics', message: 'key "ndcg_at_20" names the same metric as "ndcg@20" (ndcg_at_20)' },
      { field: 'metrics', message: `key "bad key" ${METRIC_NAME_HINT}` },
    ]);
  });
});
