import { DEFAULT_POLICY } from './default-policy';
import { policyContentHash } from './policy-selection';
import { validatePolicy } from './validate-policy';

type Doc = Record<string, any>;

function withChange(change: (doc: Doc) => void): Doc {
  const doc = structuredClone(DEFAULT_POLICY) as Doc;
  change(doc);
  return doc;
}

function errorsOf(doc: unknown) {
  const result = validatePolicy(doc);
  if (result.ok) throw new Error('expected the policy to be rejected');
  return result.errors;
}

describe('validatePolicy', () => {
  it('accepts the default policy unchanged', () => {
    expect(validatePolicy(structuredClone(DEFAULT_POLICY))).toEqual({ ok: true, value: DEFAULT_POLICY });
  });

  it.each<[string, (doc: Doc) => void, string, RegExp]>([
    [
      'an unknown check kind',
      (d) => (d.checks[0].kind = 'auc-better'),
      'checks[0].kind',
      /unknown check kind "auc-better"; expected one of metric-threshold/,
    ],
    ['a threshold of the wrong type', (d) => (d.checks[4].bound.below = '100ms'), 'checks[4].bound.below', /must be a number/],
    ['NaN as a threshold', (d) => (d.checks[2].maxGap = 'NaN'), 'checks[2].maxGap', /must be a number/],
    ['an infinite threshold', (d) => (d.checks[0].change.absolute = Infinity), 'checks[0].change.absolute', /finite/],
    ['contradictory bounds', (d) => (d.checks[4].bound = { min: 10, max: 5 }), 'checks[4].bound', /contradictory bounds/],
    ['an empty exclusive interval', (d) => (d.checks[4].bound = { above: 5, below: 5 }), 'checks[4].bound', /contradictory bounds/],
    ['top-k of 0', (d) => (d.checks[1].slices.topKByTraffic = 0), 'checks[1].slices.topKByTraffic', /between|within/],
    ['a fractional top-k', (d) => (d.checks[1].slices.topKByTraffic = 2.5), 'checks[1].slices.topKByTraffic', /integer/],
    ['a bound that says nothing', (d) => (d.checks[4].bound = {}), 'checks[4].bound', /must set min, max/],
    ['an unknown bound key', (d) => (d.checks[4].bound = { lessThan: 100 }), 'checks[4].bound.lessThan', /unknown bound/],
    ['a target without maxDeviation', (d) => (d.checks[1].bound = { target: 1 }), 'checks[1].bound', /target and maxDeviation go together/],
    ['a change without direction', (d) => delete d.checks[0].change.direction, 'checks[0].change.direction', /higher or lower/],
    ['a change without a margin', (d) => (d.checks[0].change = { direction: 'higher' }), 'checks[0].change', /absolute and\/or relative/],
    ['duplicate check ids', (d) => (d.checks[1].id = d.checks[0].id), 'checks[1].id', /duplicates check id "auc-improvement"/],
    ['no checks', (d) => (d.checks = []), 'checks', /at least 1/],
    ['a negative tolerance', (d) => (d.tolerance = -1), 'tolerance', /within/],
    ['an unknown baseline rule', (d) => (d.baseline.rule = 'best-ever'), 'baseline.rule', /must be serving-full-traffic/],
    ['a model pattern with a slash', (d) => (d.models = ['fraud/*']), 'models[0]', /prefix ending in/],
    ['a version of 0', (d) => (d.version = 0), 'version', /within/],
    ['a check metric that cannot be a metric name', (d) => (d.checks[0].metric = 'auc/roc'), 'checks[0].metric', /must be a metric name/],
    [
      'a guardrail metric that cannot be a metric name',
      (d) => (d.guardrails.canary[1].metric = 'click rate'),
      'guardrails.canary[1].metric',
      /must be a metric name/,
    ],
    [
      'a tolerance key that cannot be a metric name',
      (d) => (d.guardrails.offlineOnlineTolerance['ndcg 20'] = 0.05),
      'guardrails.offlineOnlineTolerance',
      /key "ndcg 20" must be a metric name/,
    ],
    [
      'two spellings of one tolerance metric',
      (d) => (d.guardrails.offlineOnlineTolerance['ndcg@20'] = 0.04),
      'guardrails.offlineOnlineTolerance',
      /key "ndcg@20" names the same metric as "ndcg_at_20"/,
    ],
    [
      'a tolerance that is a string',
      (d) => (d.guardrails.offlineOnlineTolerance.ndcg_at_20 = '5%'),
      'guardrails.offlineOnlineTolerance.ndcg_at_20',
      /must be a number/,
    ],
    [
      'a negative tolerance for a metric',
      (d) => (d.guardrails.offlineOnlineTolerance.ndcg_at_20 = -0.05),
      'guardrails.offlineOnlineTolerance.ndcg_at_20',
      /within/,
    ],
    [
      'a relative tolerance below 0',
      (d) => (d.guardrails.offlineOnlineTolerance.ndcg_at_20 = { relative: -0.08 }),
      'guardrails.offlineOnlineTolerance.ndcg_at_20.relative',
      /within/,
    ],
    [
      'a tolerance object that says nothing',
      (d) => (d.guardrails.offlineOnlineTolerance.ndcg_at_20 = {}),
      'guardrails.offlineOnlineTolerance.ndcg_at_20',
      /absolute and\/or relative/,
    ],
    [
      'a tolerance object with an unknown key',
      (d) => (d.guardrails.offlineOnlineTolerance.ndcg_at_20 = { percent: 8 }),
      'guardrails.offlineOnlineTolerance.ndcg_at_20.percent',
      /unknown key/,
    ],
    [
      'a regression allowance that is not an object',
      (d) => (d.guardrails.canary[1] = { metric: 'ctr', maxRegression: 0.03 }),
      'guardrails.canary[1].maxRegression',
      /must be an object/,
    ],
    [
      'a regression allowance with a NaN',
      (d) => (d.guardrails.canary[1] = { metric: 'ctr', maxRegression: { absolute: 'NaN' } }),
      'guardrails.canary[1].maxRegression.absolute',
      /must be a number/,
    ],
    [
      'an unknown direction',
      (d) => (d.guardrails.canary[1] = { metric: 'ctr', maxRegression: { relative: 0.03 }, direction: 'up' }),
      'guardrails.canary[1].direction',
      /higher or lower/,
    ],
    [
      'a direction without maxRegression',
      (d) => (d.guardrails.canary[0].direction = 'lower'),
      'guardrails.canary[0].direction',
      /applies to maxRegression only/,
    ],
    [
      'both spellings of a relative drop',
      (d) => (d.guardrails.canary[1].maxRegression = { relative: 0.03 }),
      'guardrails.canary[1].maxRelativeDrop',
      /earlier spelling of maxRegression.relative/,
    ],
    [
      'a guardrail with nothing to check',
      (d) => (d.guardrails.canary = [{ metric: 'ctr' }]),
      'guardrails.canary[0]',
      /bound and\/or maxRegression/,
    ],
    [
      'U+0000 in a tolerance key',
      (d) => (d.guardrails.offlineOnlineTolerance['ctr\u0000'] = 0.1),
      'guardrails.offlineOnlineTolerance',
      /key "ctr\\u0000" must not contain U\+0000/,
    ],
    [
      'a 1 MB tolerance key',
      (d) => (d.guardrails.offlineOnlineTolerance['m'.repeat(1024 * 1024)] = 0.1),
      'guardrails.offlineOnlineTolerance',
      /at most 128 characters, got 1048576/,
    ],
    [
      '1001 tolerance keys',
      (d) => (d.guardrails.offlineOnlineTolerance = Object.fromEntries(Array.from({ length: 1001 }, (_, i) => [`m${i}`, 0.1]))),
      'guardrails.offlineOnlineTolerance',
      /at most 1000 entries/,
    ],
    ['a lone surrogate in the description', (d) => (d.description = 'seed \uD800'), 'description', /unpaired UTF-16 surrogate/],
    ['U+0000 in a slice name', (d) => (d.checks[1].slices = { names: ['us\u0000'] }), 'checks[1].slices.names[0]', /U\+0000/],
  ])('rejects %s with a precise error', (_case, change, field, message) => {
    expect(errorsOf(withChange(change))).toContainEqual({ field, message: expect.stringMatching(message) });
  });

  it('reads a document published before relative bounds and the naming rule as it was, so its content hash is unchanged', () => {
    const published = {
      ...structuredClone(DEFAULT_POLICY),
      policyId: 'legacy',
      guardrails: { canary: [{ metric: 'ctr', maxRelativeDrop: 0.03 }], offlineOnlineTolerance: { precision_at_10: 0.05 } },
    };
    const result = validatePolicy(structuredClone(published));
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(policyContentHash(result.value)).toBe(policyContentHash(published));
  });

  it('accepts absolute and relative bounds per metric, and spells every metric name canonically', () => {
    const result = validatePolicy(
      withChange((d) => {
        d.checks[0].metric = 'AUC';
        d.guardrails = {
          canary: [{ metric: 'p99-latency-ms', maxRegression: { relative: 0.1, absolute: 15 }, direction: 'lower' }],
          offlineOnlineTolerance: { 'ndcg@20': { absolute: 0.05, relative: 0.08 }, 'precision@10': { relative: 0.08 } },
        };
      }),
    );
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.value.checks[0]).toMatchObject({ metric: 'auc' });
    expect(result.value.guardrails).toEqual({
      canary: [{ metric: 'p99_latency_ms', maxRegression: { absolute: 15, relative: 0.1 }, direction: 'lower' }],
      offlineOnlineTolerance: { ndcg_at_20: { absolute: 0.05, relative: 0.08 }, precision_at_10: { relative: 0.08 } },
    });
  });

  it('rejects a document that is not an object', () => {
    expect(errorsOf('policy')).toContainEqual({ field: 'policy', message: 'must be an object' });
  });
});
