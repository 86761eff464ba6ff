import { DEFAULT_POLICY } from './default-policy';
import { governingPolicy, policiesInForce, policyContentHash, selectPolicy } from './policy-selection';

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

describe('governingPolicy', () => {
  it('uses the built-in default until a policy named "default" is published, which then replaces it', () => {
    const fraud = { ...DEFAULT_POLICY, policyId: 'fraud', models: ['fraud-*'] };
    expect(governingPolicy('recommender', [fraud])).toBe(DEFAULT_POLICY);
    expect(governingPolicy('fraud-model', [fraud]).policyId).toBe('fraud');
    const republished = { ...DEFAULT_POLICY, version: 2 };
    expect(policiesInForce([republished, fraud])).toEqual([republished, fraud]);
    expect(governingPolicy('recommender', [republished])).toBe(republished);
  });
});
