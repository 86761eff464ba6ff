import type { EventCodec } from '../codec/single-object-codec';
import type { TopicRole } from '../topics';
import { checkEvent } from './check-event';
import { eventHash } from './event-seal';
import { SIGNED_TOPICS, type Keyring } from './keyring';

/** One line of an audit export (projections' /audit?raw=true), as far as verification reads it. */
export interface AuditRecord {
  topic: string;
  partition: number;
  offset: string;
  eventId: string;
  /** The record's value as appended, base64. */
  rawAvroBase64?: string;
}

/** Where the trail cannot be believed, with the record's log coordinates. */
export interface AuditBreak {
  topic: string;
  partition: number;
  offset: string;
  eventId: string;
  reason: string;
}

export interface AuditVerification {
  /** Records on signed topics whose signature and chain held. */
  verified: number;
  /** Records on inbound topics (outside parties, guarded by Kafka ACLs), not signed. */
  unsigned: number;
  breaks: AuditBreak[];
  /** The last record's hash of each stream verified: what the log's consumers must hold as its head, or records are missing at the end. */
  heads: Array<{ topic: string; modelName: string; hash: string }>;
}

/** The role of a topic named `<prefix>.<role as kebab-case>.v1`, for the signed topics. */
export function signedTopicRole(topic: string): TopicRole | null {
  return SIGNED_TOPICS.find((role) => topic.endsWith(`.${role}.v1`)) ?? null;
}

/**
 * Verifies an export offline: every record on a signed topic must be signed by a key trusted for
 * that topic, and each stream (topic, model) must chain from its first event (previous: none) to
 * its last in log order, so a record deleted from the export or the index, altered, or reordered
 * shows as a break at the first record after it. A break does not stop the check, and each fault
 * is reported once: a record whose seal fails is left out of the chain (a forgery slipped in), and
 * after a chain break the chain goes on from the record as it stands (one record missing).
 */
export function verifyAuditTrail(codec: EventCodec, keyring: Keyring, records: readonly AuditRecord[]): AuditVerification {
  const heads = new Map<string, string>();
  const breaks: AuditBreak[] = [];
  let verified = 0;
  let unsigned = 0;
  for (const record of [...records].sort(logOrder)) {
    const role = signedTopicRole(record.topic);
    if (!role) {
      unsigned += 1;
      continue;
    }
    const at = { topic: record.topic, partition: record.partition, offset: record.offset, eventId: record.eventId };
    if (!record.rawAvroBase64) {
      breaks.push({ ...at, reason: 'the export lacks the record as appended (export with raw=true)' });
      continue;
    }
    const message = Buffer.from(record.rawAvroBase64, 'base64');
    let envelope;
    try {
      envelope = codec.decode(message).data.envelope;
    } catch (error) {
      breaks.push({ ...at, reason: `undecodable: ${(error as Error).message}` });
      continue;
    }
    const stream = `${record.topic}\n${envelope.subject.modelName}`;
    const checked = checkEvent(codec, keyring, role, message, envelope, heads.get(stream) ?? null);
    if (checked.ok || checked.fault === 'chain') heads.set(stream, checked.ok ? checked.hash : eventHash(message));
    if (checked.ok) verified += 1;
    else breaks.push({ ...at, reason: checked.reason });
  }
  const streams = [...heads.entries()].map(([stream, hash]) => {
    const [topic, modelName] = stream.split('\n') as [string, string];
    return { topic, modelName, hash };
  });
  return { verified, unsigned, breaks, heads: streams };
}

function logOrder(a: AuditRecord, b: AuditRecord): number {
  if (a.topic !== b.topic) return a.topic < b.topic ? -1 : 1;
  if (a.partition !== b.partition) return a.partition - b.partition;
  return BigInt(a.offset) < BigInt(b.offset) ? -1 : BigInt(a.offset) > BigInt(b.offset) ? 1 : 0;
}
