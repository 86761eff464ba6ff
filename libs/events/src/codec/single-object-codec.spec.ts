import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SchemaCatalog, DEFAULT_SCHEMAS_DIR, type EventSchemaVersion } from '../catalog/schema-catalog';
import { fingerprintBytes } from '../fingerprint/rabin-fingerprint';
import { exampleRunRegistered } from '../examples/example-events';
import { EventCodec } from './single-object-codec';
import { EventDecodeError, EventEncodeError } from './decode-error';

const catalog = SchemaCatalog.load();
const codec = new EventCodec(catalog);

describe('EventCodec (Avro single-object encoding)', () => {
  const event = { type: 'RunRegistered', data: exampleRunRegistered('fraud-model', 127) } as const;

  it('round-trips an event, typed unions and 64-bit seeds included', () => {
    const decoded = codec.decode(codec.encode(event));
    expect(decoded.type).toBe('RunRegistered');
    expect(decoded.data).toEqual(event.data);
  });

  it('writes C3 01, then the little-endian fingerprint of the latest schema', () => {
    const bytes = codec.encode(event);
    expect(bytes.subarray(0, 2).toString('hex')).toBe('c301');
    expect(bytes.readBigInt64LE(2)).toBe(catalog.latest('RunRegistered').fingerprint);
  });

  it.each([
    ['an empty message', Buffer.alloc(0), /not Avro single-object encoded/],
    ['null (a tombstone)', null, /not Avro single-object encoded/],
    ['JSON', Buffer.from('{"modelName":"x"}'), /not Avro single-object encoded/],
    ['an unknown fingerprint', Buffer.from('c3010102030405060708', 'hex'), /unknown schema fingerprint 0x0807060504030201/],
  ])('refuses %s with a clear decode error', (_what, message, expected) => {
    expect(() => codec.decode(message)).toThrow(EventDecodeError);
    expect(() => codec.decode(message)).toThrow(expected);
  });

  it('reports a truncated body as corrupt, never crashing', () => {
    const bytes = codec.encode(event);
    expect(() => codec.decode(bytes.subarray(0, bytes.length - 5))).toThrow(/corrupt RunRegistered body/);
  });

  it('reports trailing garbage as corrupt', () => {
    const bytes = Buffer.concat([codec.encode(event), Buffer.from([1, 2, 3])]);
    expect(() => codec.decode(bytes)).toThrow(/corrupt RunRegistered body/);
  });

  it('names the field at fault when an event does not fit its schema', () => {
    const bad = { type: 'RunRegistered', data: { ...event.data, modelVersion: 1.5 } } as const;
    expect(() => codec.encode(bad)).toThrow(EventEncodeError);
    expect(() => codec.encode(bad)).toThrow(/RunRegistered\.modelVersion: expected int, got 1\.5/);
  });

  it('names a missing required field', () => {
    const data = exampleRunRegistered('fraud-model', 1);
    expect(() => codec.encode({ type: 'RunRegistered', data: { ...data, code: undefined as never } })).toThrow(
      /RunRegistered\.code: expected record, got nothing/,
    );
  });

  it('decodes data written with an older schema version into the latest shape', () => {
    const dir = mkdtempSync(join(tmpdir(), 'schemas-'));
    copySchemas(dir);
    const latest = catalog.latest('RolledBack');
    const next = JSON.parse(JSON.stringify(latest.json));
    next.fields.push({ name: 'ticket', type: ['null', 'string'], default: null });
    writeFileSync(join(dir, `deployments/RolledBack/v${latest.version + 1}.avsc`), JSON.stringify(next));
    const oldCodec = new EventCodec(SchemaCatalog.load(DEFAULT_SCHEMAS_DIR));
    const newCodec = new EventCodec(SchemaCatalog.load(dir));
    const rolledBack = {
      envelope: { ...event.data.envelope, eventType: 'RolledBack' },
      deploymentId: 'd1',
      modelName: 'fraud-model',
      service: 'scoring',
      surface: 'checkout',
      environment: 'prod',
      fromVersion: 127,
      toVersion: 126,
      reason: 'p99 latency spike',
      triggerMetric: 'p99_latency_ms',
      triggerValue: 180,
      rolledBackAt: 1,
    };
    const decoded = newCodec.decode(oldCodec.encode({ type: 'RolledBack', data: rolledBack }));
    expect(decoded.data).toEqual({ ...rolledBack, ticket: null });
  });

  it('reads events written before the envelope carried who asked: no principal, request id, signature or chain', () => {
    const v1 = catalog.versions('RunRegistered')[0] as EventSchemaVersion;
    const { envelope, ...rest } = event.data;
    const { principal: _p, requestId: _r, signingKeyId: _k, signature: _s, previousEventHash: _h, ...oldEnvelope } = envelope;
    const written = Buffer.concat([
      Buffer.from([0xc3, 0x01]),
      fingerprintBytes(v1.fingerprint),
      v1.type.toBuffer({ ...rest, envelope: oldEnvelope }),
    ]);
    expect(codec.decode(written).data.envelope).toEqual({
      ...oldEnvelope,
      principal: null,
      requestId: null,
      signingKeyId: null,
      signature: null,
      previousEventHash: null,
    });
  });

  it('writes a new seal exactly as rewriting the whole envelope would, for every version of every event', () => {
    const randomRecord = (version: EventSchemaVersion) =>
      Buffer.concat([Buffer.from([0xc3, 0x01]), fingerprintBytes(version.fingerprint), version.type.toBuffer(version.type.random())]);
    const seals = (sample: number) => [
      { signingKeyId: null, signature: null, previousEventHash: null },
      { signingKeyId: 'ingestion:k1', signature: null, previousEventHash: 'ab'.repeat(32) },
      { signingKeyId: 'k'.repeat(sample), signature: 'x'.repeat(200 + sample), previousEventHash: null },
    ];
    let sealable = 0;
    for (const version of catalog.eventNames().flatMap((name) => catalog.versions(name))) {
      const envelopeFields = (version.json as { fields: Array<{ type: { fields?: Array<{ name: string }> } }> }).fields[0]?.type.fields;
      if (envelopeFields?.some((field) => field.name === 'signature')) sealable += 1;
      for (let sample = 0; sample < 20; sample += 1) {
        const message = randomRecord(version);
        for (const seal of seals(sample)) {
          const expected = codec.rewriteEnvelope(message, (envelope) => ({ ...envelope, ...seal }));
          expect(codec.withSeal(message, () => seal).equals(expected)).toBe(true);
          const signatureOnly = codec.rewriteEnvelope(message, (envelope) => ({ ...envelope, signature: seal.signature }));
          expect(codec.withSeal(message, (current) => ({ ...current, signature: seal.signature })).equals(signatureOnly)).toBe(true);
        }
      }
    }
    expect(sealable).toBeGreaterThan(10);
  });

  it('refuses to change the seal of a record cut short inside its envelope', () => {
    expect(() => codec.withSeal(codec.encode(event).subarray(0, 30), (seal) => seal)).toThrow(EventDecodeError);
  });
});

function copySchemas(target: string): void {
  for (const version of SchemaCatalog.load()
    .eventNames()
    .map((name) => catalog.latest(name))) {
    const dir = join(target, version.context, version.eventName);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `v${version.version}.avsc`), JSON.stringify(version.json));
  }
  mkdirSync(join(target, 'common'), { recursive: true });
  writeFileSync(join(target, 'common', 'EventEnvelope.avsc'), readFileSync(join(DEFAULT_SCHEMAS_DIR, 'common', 'EventEnvelope.avsc')));
}
