import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { computeEnvironmentFingerprint, type EnvironmentFacts } from './environment-fingerprint';

interface FingerprintVector {
  name: string;
  facts: EnvironmentFacts;
  canonical: string;
  fingerprint: string;
}

/** Shared with the CLI and the Python client (clients/python/tests/test_fingerprint.py). */
const VECTORS_FILE = resolve(__dirname, '../../../schemas/vectors/environment-fingerprint.json');
const cases = (JSON.parse(readFileSync(VECTORS_FILE, 'utf8')) as { environmentFingerprint: { cases: FingerprintVector[] } })
  .environmentFingerprint.cases;

describe('computeEnvironmentFingerprint', () => {
  it.each(cases.map((v) => [v.name, v] as const))('%s', (_name, vector) => {
    expect(createHash('sha256').update(vector.canonical, 'utf8').digest('hex')).toBe(vector.fingerprint);
    expect(computeEnvironmentFingerprint(vector.facts)).toBe(vector.fingerprint);
  });

  it('does not depend on the order packages are listed in', () => {
    for (const vector of cases) {
      const reversed = { ...vector.facts, packages: [...vector.facts.packages].reverse() };
      expect(computeEnvironmentFingerprint(reversed)).toBe(vector.fingerprint);
    }
  });

  it('changes when any fact changes, case of a package name included', () => {
    const [, , mixed] = cases as [FingerprintVector, FingerprintVector, FingerprintVector];
    const renamed = { ...mixed.facts, packages: mixed.facts.packages.map((p) => (p.name === 'Zope' ? { ...p, name: 'zope' } : p)) };
    expect(computeEnvironmentFingerprint(renamed)).not.toBe(mixed.fingerprint);
    expect(computeEnvironmentFingerprint({ ...mixed.facts, gpuCount: 1 })).not.toBe(mixed.fingerprint);
  });
});
