import type { Resolver, Type, types } from 'avsc';
import type { EventSchemaVersion, SchemaCatalog } from '../catalog/schema-catalog';
import type { EventEnvelope } from '../contracts/envelope';
import { isEventName, type RegistryEvent } from '../contracts/registry-event';
import { fingerprintBytes } from '../fingerprint/rabin-fingerprint';
import { EventDecodeError, EventEncodeError } from './decode-error';

/** Avro single-object encoding marker: 0xC3 0x01. */
const MARKER = Buffer.from([0xc3, 0x01]);
const HEADER_LENGTH = MARKER.length + 8;

/**
 * Avro single-object encoding: marker, 8-byte little-endian CRC-64-AVRO of the writer schema's
 * canonical form, then the binary datum. Writes the latest schema of each event; reads any
 * version the catalog holds, resolving it to the latest.
 */
export class EventCodec {
  private readonly resolvers = new Map<bigint, { reader: EventSchemaVersion; resolver: Resolver | null }>();
  private readonly sealLayouts = new Map<bigint, SealLayout | null>();

  constructor(private readonly catalog: SchemaCatalog) {}

  encode(event: RegistryEvent): Buffer {
    const schema = this.catalog.latest(event.type);
    assertValid(schema.type, event.data, event.type);
    if (event.data.envelope.eventType !== event.type) {
      throw new EventEncodeError(`envelope.eventType is ${event.data.envelope.eventType}, expected ${event.type}`, 'envelope.eventType');
    }
    return Buffer.concat([MARKER, fingerprintBytes(schema.fingerprint), schema.type.toBuffer(event.data)]);
  }

  decode(message: Buffer | null): RegistryEvent {
    const fingerprint = fingerprintOf(message);
    const { reader, resolver } = this.resolverFor(fingerprint);
    const body = (message as Buffer).subarray(HEADER_LENGTH);
    let data: unknown;
    try {
      data = resolver ? reader.type.fromBuffer(body, resolver) : reader.type.fromBuffer(body);
    } catch (error) {
      throw new EventDecodeError(`corrupt ${reader.eventName} body: ${(error as Error).message}`, hex(fingerprint));
    }
    return { type: reader.eventName, data } as RegistryEvent;
  }

  /**
   * The same record with its envelope changed, written with the schema it was written with (not
   * the latest), so signatures and hashes over the bytes stay stable whatever the reader's version.
   * The record's schema must know every field `change` sets.
   */
  rewriteEnvelope(message: Buffer, change: (envelope: EventEnvelope) => EventEnvelope): Buffer {
    const writer = this.writerOf(message);
    const datum = writer.type.fromBuffer(message.subarray(HEADER_LENGTH)) as { envelope: EventEnvelope };
    return Buffer.concat([message.subarray(0, HEADER_LENGTH), writer.type.toBuffer({ ...datum, envelope: change(datum.envelope) })]);
  }

  /**
   * The same record with only its envelope's seal changed (`signingKeyId`, `signature`,
   * `previousEventHash`): what `rewriteEnvelope` writes for that change, without decoding and
   * writing the whole record again. Avro writes a record as its fields one after the other, so
   * where the writer's envelope is the record's first field and ends with those three, their bytes
   * are found by decoding the envelope alone and replaced in place. Other layouts (none today) take
   * `rewriteEnvelope`.
   */
  withSeal(message: Buffer, change: (seal: EventSeal) => EventSeal): Buffer {
    const layout = this.sealLayoutOf(message);
    if (!layout) return this.rewriteEnvelope(message, (envelope) => ({ ...envelope, ...change(sealOf(envelope)) }));
    const { value, offset: end } = layout.envelope.decode(message, HEADER_LENGTH) as { value: EventEnvelope; offset: number };
    if (end < 0) throw new EventDecodeError(`corrupt ${layout.eventName} envelope: the record ends inside it`, hex(layout.fingerprint));
    const encodeSeal = (seal: EventSeal) => SEAL_FIELDS.map((field) => layout.seal[field].toBuffer(seal[field]) as Buffer);
    const old = encodeSeal(sealOf(value));
    const start = end - old.reduce((length, bytes) => length + bytes.length, 0);
    return Buffer.concat([message.subarray(0, start), ...encodeSeal(change(sealOf(value))), message.subarray(end)]);
  }

  /** Only the header is checked here: the envelope's decoding checks the rest that is read, and the signature covers all of it. */
  private sealLayoutOf(message: Buffer): SealLayout | null {
    const writer = this.writerByHeader(message);
    if (this.sealLayouts.has(writer.fingerprint)) return this.sealLayouts.get(writer.fingerprint) ?? null;
    const [first] = (writer.type as RecordType).fields;
    const envelope = first?.name === 'envelope' ? (first.type as RecordType) : null;
    const last = (envelope?.fields ?? []).slice(-SEAL_FIELDS.length);
    const layout =
      envelope && last.map((field) => field.name).join() === SEAL_FIELDS.join()
        ? {
            eventName: writer.eventName,
            fingerprint: writer.fingerprint,
            envelope,
            seal: Object.fromEntries(last.map((field) => [field.name, field.type])) as SealLayout['seal'],
          }
        : null;
    this.sealLayouts.set(writer.fingerprint, layout);
    return layout;
  }

  private writerByHeader(message: Buffer): EventSchemaVersion {
    const fingerprint = fingerprintOf(message);
    this.resolverFor(fingerprint); // throws for a schema that is not a registry event's
    return this.catalog.byFingerprint(fingerprint) as EventSchemaVersion;
  }

  private writerOf(message: Buffer): EventSchemaVersion {
    this.decode(message); // throws for anything that is not a registry event
    return this.catalog.byFingerprint(message.readBigInt64LE(MARKER.length)) as EventSchemaVersion;
  }

  private resolverFor(fingerprint: bigint): { reader: EventSchemaVersion; resolver: Resolver | null } {
    const cached = this.resolvers.get(fingerprint);
    if (cached) return cached;
    const writer = this.catalog.byFingerprint(fingerprint);
    if (!writer) throw new EventDecodeError(`unknown schema fingerprint ${hex(fingerprint)}`, hex(fingerprint));
    if (!isEventName(writer.eventName)) throw new EventDecodeError(`schema ${writer.eventName} is not a registry event`, hex(fingerprint));
    const reader = this.catalog.latest(writer.eventName);
    const entry = { reader, resolver: reader === writer ? null : reader.type.createResolver(writer.type) };
    this.resolvers.set(fingerprint, entry);
    return entry;
  }
}

type RecordType = types.RecordType;

/** The envelope's last three fields, in this order: who signed, the signature, the stream's previous event. */
const SEAL_FIELDS = ['signingKeyId', 'signature', 'previousEventHash'] as const;

export type EventSeal = Pick<EventEnvelope, (typeof SEAL_FIELDS)[number]>;

function sealOf(envelope: EventEnvelope): EventSeal {
  return { signingKeyId: envelope.signingKeyId, signature: envelope.signature, previousEventHash: envelope.previousEventHash };
}

/** Where a writer schema keeps the seal: the envelope's type and the types of its seal fields. */
interface SealLayout {
  eventName: string;
  fingerprint: bigint;
  envelope: RecordType;
  seal: Record<(typeof SEAL_FIELDS)[number], Type>;
}

/** The writer schema's fingerprint from the single-object header; throws for anything else. */
function fingerprintOf(message: Buffer | null): bigint {
  if (!message || message.length < HEADER_LENGTH || message[0] !== 0xc3 || message[1] !== 0x01) {
    throw new EventDecodeError('not Avro single-object encoded (expected marker C3 01 and an 8-byte fingerprint)');
  }
  return message.readBigInt64LE(MARKER.length);
}

function hex(fingerprint: bigint): string {
  return `0x${BigInt.asUintN(64, fingerprint).toString(16).padStart(16, '0')}`;
}

function assertValid(type: Type, value: unknown, eventName: string): void {
  let firstError: { path: string; got: unknown; expected: string } | undefined;
  type.isValid(value, {
    errorHook: (path: string[], got: unknown, expectedType: Type) => {
      firstError ??= { path: path.join('.'), got, expected: String(expectedType.typeName ?? expectedType.name) };
    },
  });
  if (firstError) {
    throw new EventEncodeError(
      `${eventName}.${firstError.path}: expected ${firstError.expected}, got ${describe(firstError.got)}`,
      firstError.path,
    );
  }
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  const text = JSON.stringify(value);
  return text && text.length > 60 ? `${text.slice(0, 57)}...` : String(text);
}
