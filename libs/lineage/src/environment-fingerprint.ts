import { createHash } from 'node:crypto';
import type { EnvironmentFingerprint } from '@modelreg/events';

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

/** JSON with object keys sorted at every level. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
