import { createHash } from 'node:crypto';
import type { EnvironmentFingerprint, ResolvedPackage } from '@modelreg/events';
import { canonicalJson, compareCodePoints } from '@modelreg/validation';

export type EnvironmentFacts = Omit<EnvironmentFingerprint, 'fingerprint'>;

/**
 * One stable hash over every environment fact: lower-case hex sha256 of the UTF-8 bytes of the
 * RFC 8785 canonical JSON of the facts, with `packages` sorted by ecosystem, then name, then
 * version, each in Unicode code-point order. Names are hashed as given (no case folding); the
 * order a package manager lists them in and the server's locale change nothing. Every client
 * reproduces `schemas/vectors/environment-fingerprint.json`.
 */
export function computeEnvironmentFingerprint(facts: EnvironmentFacts): string {
  const packages = [...facts.packages].sort(comparePackages);
  return createHash('sha256')
    .update(canonicalJson({ ...facts, packages }), 'utf8')
    .digest('hex');
}

function comparePackages(a: ResolvedPackage, b: ResolvedPackage): number {
  return compareCodePoints(a.ecosystem, b.ecosystem) || compareCodePoints(a.name, b.name) || compareCodePoints(a.version, b.version);
}
