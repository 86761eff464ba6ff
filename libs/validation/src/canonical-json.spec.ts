import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { canonicalJson, compareCodePoints } from './canonical-json';

interface Vectors {
  canonicalJson: Array<{ name: string; input: string; canonical: string }>;
  numbers: { cases: Array<{ ieee: string; canonical: string }> };
}

/** Shared with the CLI and the Python client: every implementation reproduces the same bytes. */
const VECTORS_FILE = resolve(__dirname, '../../../schemas/vectors/environment-fingerprint.json');
const vectors = JSON.parse(readFileSync(VECTORS_FILE, 'utf8')) as Vectors;

describe('canonicalJson (RFC 8785)', () => {
  it.each(vectors.canonicalJson.map((v) => [v.name, v] as const))('%s', (_name, vector) => {
    expect(canonicalJson(JSON.parse(vector.input))).toBe(vector.canonical);
  });

  it.each(vectors.numbers.cases.map((v) => [v.ieee, v.canonical] as const))('IEEE 754 %s is %s', (ieee, canonical) => {
    expect(canonicalJson(Buffer.from(ieee, 'hex').readDoubleBE(0))).toBe(canonical);
  });

  it('leaves out undefined properties, as JSON does', () => {
    expect(canonicalJson({ b: undefined, a: [1, { c: undefined }] })).toBe('{"a":[1,{}]}');
  });

  it.each([
    ['NaN', Number.NaN, /NaN/],
    ['Infinity', Number.POSITIVE_INFINITY, /Infinity/],
    ['a lone surrogate', { name: 'a\ud800b' }, /lone surrogate/],
    ['a bigint', 10n, /bigint/],
  ])('refuses %s', (_name, value, message) => {
    expect(() => canonicalJson(value)).toThrow(message);
  });
});

describe('compareCodePoints', () => {
  it('orders by code point, where UTF-16 units and locales disagree', () => {
    const names = ['\u{1D518}', '\uFB01', 'Z', '_', '-', '.', 'a', '\u00E9'];
    expect([...names].sort(compareCodePoints)).toEqual(['-', '.', 'Z', '_', 'a', '\u00E9', '\uFB01', '\u{1D518}']);
  });

  it('puts a prefix first and equal strings level', () => {
    expect(compareCodePoints('torch', 'torchvision')).toBeLessThan(0);
    expect(compareCodePoints('torchvision', 'torch')).toBeGreaterThan(0);
    expect(compareCodePoints('jax', 'jax')).toBe(0);
  });
});
