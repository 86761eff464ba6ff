import { createHash } from 'node:crypto';
import type { EnvironmentFingerprint } from '@modelreg/events';
import { canonicalJson } from '@modelreg/validation';

export type EnvironmentFacts = Omit<EnvironmentFingerprint, 'fingerprint'>;

/**
 * One stable hash over every environment fact: sha256 of canonical JSON (sorted keys, packages
 * sorted by ecosystem, name and version). The same machine gives the same hash whatever order
 * its package manager lists packages in.
 */
export function computeEnvironmentFingerprint(facts: EnvironmentFacts): string {
  const packages = [...facts.packages].sort((a, b) => `${a.ecosystem}\u0000${a.name}\u0000${a.version}`.localeCompare(`${b.ecosystem}\u0000${b.name}\u0000${b.version}`));
  return createHash('sha256').update(canonicalJson({ ...facts, packages })).digest('hex');
}
