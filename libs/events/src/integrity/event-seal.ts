import { createHash, sign, verify, type KeyObject } from 'node:crypto';
import type { EventCodec } from '../codec/single-object-codec';
import type { EventEnvelope } from '../contracts/envelope';

/** A service's Ed25519 private key and the id consumers know its public half by. */
export interface SigningKey {
  keyId: string;
  privateKey: KeyObject;
}

/** SHA-256 (hex) of an event exactly as appended: what the next event of its stream names as previousEventHash. */
export function eventHash(message: Buffer): string {
  return createHash('sha256').update(message).digest('hex');
}

/** What a signature covers: the record as written, with its signature field null. */
export function signedBytes(codec: EventCodec, message: Buffer): Buffer {
  return codec.withSeal(message, (seal) => ({ ...seal, signature: null }));
}

/**
 * Seals an encoded event: names the key and the previous event of its stream (same topic, same
 * subject), then signs the result. Pure apart from the signing itself.
 */
export function sealEvent(codec: EventCodec, message: Buffer, key: SigningKey, previousEventHash: string | null): Buffer {
  const unsigned = codec.withSeal(message, () => ({ signingKeyId: key.keyId, previousEventHash, signature: null }));
  const signature = sign(null, unsigned, key.privateKey).toString('base64');
  return codec.withSeal(unsigned, (seal) => ({ ...seal, signature }));
}

/** The record as its producer built it, before the outbox sealed it: what a rebuild reproduces. */
export function withoutSeal(codec: EventCodec, message: Buffer): Buffer {
  return codec.withSeal(message, () => ({ signingKeyId: null, signature: null, previousEventHash: null }));
}

/** Whether the envelope's signature is the given public key's over the record. */
export function signatureHolds(codec: EventCodec, message: Buffer, envelope: EventEnvelope, publicKey: KeyObject): boolean {
  if (envelope.signature === null) return false;
  try {
    return verify(null, signedBytes(codec, message), publicKey, Buffer.from(envelope.signature, 'base64'));
  } catch {
    return false;
  }
}
