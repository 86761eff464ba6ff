import { createPublicKey, type KeyObject } from 'node:crypto';
import type { TopicRole } from '../topics';

/**
 * The topics each signing service appends to: a key is trusted only for its service's topic, so
 * the gates topic accepts only the gate validator's signatures. The inbound topics (run
 * submissions, deployment reports) are written by outside parties and guarded by Kafka ACLs.
 */
export const SIGNED_TOPIC_OF_SERVICE = {
  ingestion: 'lineage',
  'gate-validator': 'gates',
  'deployment-tracker': 'deployments',
} as const satisfies Record<string, TopicRole>;

export type SigningService = keyof typeof SIGNED_TOPIC_OF_SERVICE;

export const SIGNED_TOPICS: readonly TopicRole[] = Object.values(SIGNED_TOPIC_OF_SERVICE);

/** One trusted public key, as the keyring file lists it. */
export interface KeyringEntry {
  keyId: string;
  service: string;
  /** The topic roles whose events this key may sign. */
  topics: TopicRole[];
  publicKeyPem: string;
}

/** The public keys consumers trust, by key id. */
export class Keyring {
  private readonly keys = new Map<string, { entry: KeyringEntry; publicKey: KeyObject }>();

  constructor(entries: readonly KeyringEntry[]) {
    for (const entry of entries) this.keys.set(entry.keyId, { entry, publicKey: createPublicKey(entry.publicKeyPem) });
  }

  /** The key's public half when it is trusted for `topic`, else why not. */
  keyFor(keyId: string, topic: TopicRole): { publicKey: KeyObject } | { refused: string } {
    const known = this.keys.get(keyId);
    if (!known) return { refused: `unknown signing key ${keyId}` };
    if (!known.entry.topics.includes(topic))
      return { refused: `key ${keyId} (${known.entry.service}) is not trusted for the ${topic} topic` };
    return { publicKey: known.publicKey };
  }
}

/** Parses a keyring file's JSON: `{ "keys": [{ keyId, service, topics, publicKeyPem }] }`. */
export function parseKeyring(json: string): Keyring {
  const parsed = JSON.parse(json) as { keys?: KeyringEntry[] };
  if (!Array.isArray(parsed.keys)) throw new Error('keyring: expected {"keys": [...]}');
  return new Keyring(parsed.keys);
}
