import { createHash } from 'node:crypto';
import { canonicalJson } from '@modelreg/validation';
import { DEFAULT_POLICY } from './default-policy';
import type { GatePolicy } from './gate-policy';

/** Policies are values, never changed once read or published: each one's hash is computed once (a batch decides many runs under one). */
const contentHashes = new WeakMap<GatePolicy, string>();

/** sha256 of the policy's canonical JSON: recorded in every decision so it can be matched to the exact text. */
export function policyContentHash(policy: GatePolicy): string {
  let hash = contentHashes.get(policy);
  if (hash === undefined) {
    hash = createHash('sha256').update(canonicalJson(policy)).digest('hex');
    contentHashes.set(policy, hash);
  }
  return hash;
}

/** How specifically a pattern names a model: exact beats any prefix, a longer prefix beats a shorter; -1 when it does not match. */
export function patternSpecificity(pattern: string, modelName: string): number {
  if (pattern === modelName) return Number.MAX_SAFE_INTEGER;
  if (pattern.endsWith('*') && modelName.startsWith(pattern.slice(0, -1))) return pattern.length - 1;
  return -1;
}

/**
 * The policy governing a model: of the latest version of each policy, the one with the most
 * specific matching pattern (ties: policy id order, so the choice is deterministic).
 */
export function selectPolicy(modelName: string, latestPolicies: readonly GatePolicy[]): GatePolicy | null {
  let best: { policy: GatePolicy; specificity: number } | null = null;
  for (const policy of [...latestPolicies].sort((a, b) => (a.policyId < b.policyId ? -1 : a.policyId > b.policyId ? 1 : 0))) {
    const specificity = Math.max(...policy.models.map((pattern) => patternSpecificity(pattern, modelName)));
    if (specificity >= 0 && (!best || specificity > best.specificity)) best = { policy, specificity };
  }
  return best?.policy ?? null;
}

/** The policies in force: the latest published version of each, plus the built-in default unless a "default" was published. */
export function policiesInForce(latestPublished: readonly GatePolicy[]): GatePolicy[] {
  return latestPublished.some((policy) => policy.policyId === DEFAULT_POLICY.policyId)
    ? [...latestPublished]
    : [DEFAULT_POLICY, ...latestPublished];
}

/** The policy governing a model now; the default's `*` pattern means there always is one. */
export function governingPolicy(modelName: string, latestPublished: readonly GatePolicy[]): GatePolicy {
  return selectPolicy(modelName, policiesInForce(latestPublished)) ?? DEFAULT_POLICY;
}
