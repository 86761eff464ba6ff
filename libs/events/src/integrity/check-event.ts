import type { KeyObject } from 'node:crypto';
import type { EventCodec } from '../codec/single-object-codec';
import type { EventEnvelope } from '../contracts/envelope';
import type { RegistryEvent } from '../contracts/registry-event';
import type { TopicRole } from '../topics';
import { eventHash, signatureHolds } from './event-seal';
import type { Keyring } from './keyring';

/** A refusal is about the seal (unsigned, untrusted key, forged) or about the chain (the seal holds, the order does not). */
export type EventCheck = { ok: true; hash: string } | { ok: false; fault: 'seal' | 'chain'; reason: string };

/**
 * Whether a record on a signed topic may be believed: signed by a key trusted for that topic,
 * the signature holds over its bytes, and it names as previous event the last one believed of
 * its stream (`head`: null before the stream's first event), so a deleted, altered, reordered or
 * replayed record breaks the chain. On success, the record's hash: the stream's new head.
 */
export function checkEvent(
  codec: EventCodec,
  keyring: Keyring,
  topic: TopicRole,
  message: Buffer,
  envelope: EventEnvelope,
  head: string | null,
): EventCheck {
  if (envelope.signature === null || envelope.signingKeyId === null)
    return { ok: false, fault: 'seal', reason: `unsigned event on the ${topic} topic` };
  const key = keyring.keyFor(envelope.signingKeyId, topic);
  if ('refused' in key) return { ok: false, fault: 'seal', reason: key.refused };
  if (!signatureHolds(codec, message, envelope, key.publicKey))
    return { ok: false, fault: 'seal', reason: `forged event: the signature of key ${envelope.signingKeyId} does not hold` };
  if (envelope.previousEventHash !== head) {
    return {
      ok: false,
      fault: 'chain',
      reason:
        `chain break on ${envelope.subject.modelName}: the event follows ${envelope.previousEventHash ?? 'nothing'}, ` +
        `the stream's last event is ${head ?? 'none'}`,
    };
  }
  return { ok: true, hash: eventHash(message) };
}

/** One record of a stream as consumed: its bytes as appended and its decoded envelope. */
export interface StreamRecord {
  message: Buffer;
  envelope: EventEnvelope;
}

/**
 * A stream's consecutive records believed as one, with one signature check instead of one per
 * record: when each is sealed by a key trusted for `topic`, each names the hash of the record
 * before it (the first, `head`), and the last one's signature holds. The last record's signature
 * covers the hash of the one before, whose bytes cover their own signature and the hash before
 * them, and so on: a trusted signer chains only onto records it sealed itself, so a record altered,
 * forged, dropped or reordered anywhere breaks a link or the last signature. On success, the last
 * record's hash (the stream's new head), which is then what `checkEvent` on each in turn would have
 * given; null when anything differs, and then `checkEvent` on each names what.
 */
export function checkChainedRun(
  codec: EventCodec,
  keyring: Keyring,
  topic: TopicRole,
  run: readonly StreamRecord[],
  head: string | null,
): string | null {
  const last = run[run.length - 1];
  if (!last) return null;
  let previous = head;
  for (const { message, envelope } of run) {
    if (envelope.signature === null || envelope.signingKeyId === null || envelope.previousEventHash !== previous) return null;
    if ('refused' in keyring.keyFor(envelope.signingKeyId, topic)) return null;
    previous = eventHash(message);
  }
  const key = keyring.keyFor(last.envelope.signingKeyId as string, topic) as { publicKey: KeyObject };
  return signatureHolds(codec, last.message, last.envelope, key.publicKey) ? previous : null;
}

/**
 * A stored copy of a record (a service's own row), believed only while its seal holds for `topic`:
 * the decoded event, else null. The chain is not checked here: the record was checked when consumed.
 */
export function believedRecord(codec: EventCodec, keyring: Keyring, topic: TopicRole, record: Buffer): RegistryEvent | null {
  let event: RegistryEvent;
  try {
    event = codec.decode(record);
  } catch {
    return null;
  }
  const { signingKeyId } = event.data.envelope;
  if (signingKeyId === null) return null;
  const key = keyring.keyFor(signingKeyId, topic);
  return 'publicKey' in key && signatureHolds(codec, record, event.data.envelope, key.publicKey) ? event : null;
}
