import { DEFAULT_POLICY } from './default-policy';
import { policyContentHash, selectPolicy } from './policy-selection';

describe('selectPolicy', () => {
  const fraud = { ...DEFAULT_POLICY, policyId: 'fraud', models: ['fraud-*'] };
  const fraudModel = { ...DEFAULT_POLICY, policyId: 'fraud-model-strict', models: ['fraud-model'] };

  it('picks the most specific matching pattern: exact, then the longest prefix, then *', () => {
    const policies = [DEFAULT_POLICY, fraud, fraudModel];
    expect(selectPolicy('fraud-model', policies)?.policyId).toBe('fraud-model-strict');
    expect(selectPolicy('fraud-model-v2', policies)?.policyId).toBe('fraud');
    expect(selectPolicy('recommender', policies)?.policyId).toBe('default');
  });

  it('returns null when nothing matches', () => {
    expect(selectPolicy('recommender', [fraud])).toBeNull();
  });
});

describe('policyContentHash', () => {
  it('ignores key order and changes with any threshold', () => {
    const reordered = Object.fromEntries(Object.entries(DEFAULT_POLICY).reverse()) as typeof DEFAULT_POLICY;
    expect(policyContentHash(reordered)).toBe(policyContentHash(DEFAULT_POLICY));
    expect(policyContentHash({ ...DEFAULT_POLICY, tolerance: 1e-8 })).not.toBe(policyContentHash(DEFAULT_POLICY));
  });
});
