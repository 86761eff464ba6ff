import { createHash } from 'node:crypto';
import { canonicalJson } from '@modelreg/validation';

/** Namespace of gate decision ids (a fixed random UUID). */
const DECISION_NAMESPACE = Buffer.from('5b0f6d0e8c3a4e1f9a7d2c4b6e8f0a13', 'hex');

/**
 * A name-based (version 5, RFC 9562) UUID of a decision's inputs: the same inputs always give the
 * same id, so rebuilding the gate from the log reproduces its decisions exactly.
 */
export function decisionId(inputs: unknown): string {
  const hash = createHash('sha1').update(DECISION_NAMESPACE).update(canonicalJson(inputs)).digest();
  hash[6] = ((hash[6] as number) & 0x0f) | 0x50;
  hash[8] = ((hash[8] as number) & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
