import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SchemaCatalog } from '../catalog/schema-catalog';
import { EventCodec } from '../codec/single-object-codec';
import { exampleRunRegistered } from '../examples/example-events';
import type { RunRegistered } from '../contracts/run-registered';
import { checkChainedRun, checkEvent } from './check-event';
import { eventHash, sealEvent } from './event-seal';
import { verifyAuditTrail } from './verify-audit-trail';
import { readKeyring, readSigningKey, writeEventKeyDirectory } from './key-directory';

const codec = new EventCodec(SchemaCatalog.load());
const dir = mkdtempSync(join(tmpdir(), 'event-keys-'));
writeEventKeyDirectory(dir);
const keyring = readKeyring(dir);
const ingestionKey = readSigningKey(dir, 'ingestion');
const gatesKey = readSigningKey(dir, 'gate-validator');

const encoded = (version: number, overrides: Partial<RunRegistered> = {}) =>
  codec.encode({ type: 'RunRegistered', data: exampleRunRegistered('fraud-model', version, overrides) });

/** given a stream's appended records, when one more is checked against the head the consumer believed last, then… */
function given(...records: Buffer[]) {
  let head: string | null = null;
  for (const record of records) {
    const checked = checkEvent(codec, keyring, 'lineage', record, codec.decode(record).data.envelope, head);
    if (!checked.ok) throw new Error(`given: ${checked.reason}`);
    head = checked.hash;
  }
  return { when: (record: Buffer) => checkEvent(codec, keyring, 'lineage', record, codec.decode(record).data.envelope, head) };
}

describe('event seals: Ed25519 signature and hash chain per stream', () => {
  const first = sealEvent(codec, encoded(1), ingestionKey, null);
  const second = sealEvent(codec, encoded(2), ingestionKey, eventHash(first));

  it('believes a stream sealed in order, each event naming the previous one', () => {
    expect(given(first).when(second)).toEqual({ ok: true, hash: eventHash(second) });
  });

  it('keeps the principal and request id, and decodes the seal', () => {
    const envelope = codec.decode(second).data.envelope;
    expect(envelope).toMatchObject({
      signingKeyId: ingestionKey.keyId,
      previousEventHash: eventHash(first),
      principal: { subject: 'ci-trainer' },
      requestId: 'req-2',
    });
    expect(envelope.signature).toMatch(/^[A-Za-z0-9+/]+=*$/);
  });

  it('refuses an unsigned event', () => {
    expect(given().when(encoded(1))).toEqual({ ok: false, fault: 'seal', reason: 'unsigned event on the lineage topic' });
  });

  it('refuses an event altered after it was signed', () => {
    const altered = codec.rewriteEnvelope(second, (envelope) => ({
      ...envelope,
      principal: { subject: 'mallory', issuer: 'x', roles: [] },
    }));
    expect(given(first).when(altered)).toMatchObject({ ok: false, reason: expect.stringMatching(/^forged event/) });
  });

  it('refuses a key that is not trusted for the topic: the gate validator cannot sign registrations', () => {
    expect(given().when(sealEvent(codec, encoded(1), gatesKey, null))).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/is not trusted for the lineage topic/),
    });
  });

  it('refuses a key nobody trusts', () => {
    expect(given().when(sealEvent(codec, encoded(1), { ...ingestionKey, keyId: 'ingestion:stolen' }, null))).toEqual({
      ok: false,
      fault: 'seal',
      reason: 'unknown signing key ingestion:stolen',
    });
  });

  it('detects a deleted record: the next one names a previous event the consumer never believed', () => {
    const third = sealEvent(codec, encoded(3), ingestionKey, eventHash(second));
    expect(given(first).when(third)).toMatchObject({
      ok: false,
      fault: 'chain',
      reason: expect.stringMatching(/^chain break on fraud-model/),
    });
  });

  it('refuses a replayed old signed event', () => {
    expect(given(first, second).when(first)).toMatchObject({ ok: false, fault: 'chain', reason: expect.stringMatching(/^chain break/) });
  });
});

describe('a stream run believed with one signature check (checkChainedRun)', () => {
  /** A stream of `n` records sealed in order by `key`, the first continuing `head`. */
  const sealedStream = (n: number, head: string | null = null, key = ingestionKey) => {
    const records: Buffer[] = [];
    for (let version = 1; version <= n; version += 1)
      records.push(sealEvent(codec, encoded(version), key, records.length ? eventHash(records[records.length - 1] as Buffer) : head));
    return records;
  };
  const run = (records: Buffer[]) => records.map((message) => ({ message, envelope: codec.decode(message).data.envelope }));
  const perRecord = (records: Buffer[], head: string | null) => {
    let at = head;
    for (const record of records) {
      const checked = checkEvent(codec, keyring, 'lineage', record, codec.decode(record).data.envelope, at);
      if (!checked.ok) return null;
      at = checked.hash;
    }
    return at;
  };

  it('believes a run sealed in order, landing on the head that checking each record gives', () => {
    const records = sealedStream(6);
    expect(checkChainedRun(codec, keyring, 'lineage', run(records), null)).toBe(eventHash(records[5] as Buffer));
    expect(checkChainedRun(codec, keyring, 'lineage', run(records), null)).toBe(perRecord(records, null));
    expect(checkChainedRun(codec, keyring, 'lineage', run(records.slice(2)), eventHash(records[1] as Buffer))).toBe(
      eventHash(records[5] as Buffer),
    );
  });

  it('gives up (for checking each record) when a record in the middle was altered, even with its links rewritten', () => {
    const records = sealedStream(4);
    const altered = codec.rewriteEnvelope(records[1] as Buffer, (envelope) => ({ ...envelope, requestId: 'req-mallory' }));
    expect(checkChainedRun(codec, keyring, 'lineage', run([records[0] as Buffer, altered, ...records.slice(2)]), null)).toBeNull();
    // Relinking the rest onto the altered record needs a signature over the last one, which only the signer can make.
    const relinkedThird = codec.rewriteEnvelope(records[2] as Buffer, (envelope) => ({
      ...envelope,
      previousEventHash: eventHash(altered),
    }));
    const relinkedLast = codec.rewriteEnvelope(records[3] as Buffer, (envelope) => ({
      ...envelope,
      previousEventHash: eventHash(relinkedThird),
    }));
    expect(checkChainedRun(codec, keyring, 'lineage', run([records[0] as Buffer, altered, relinkedThird, relinkedLast]), null)).toBeNull();
  });

  it('gives up on a dropped, reordered or replayed record, a broken last signature, an untrusted key or a wrong head', () => {
    const records = sealedStream(4);
    const [a, b, c, d] = records as [Buffer, Buffer, Buffer, Buffer];
    expect(checkChainedRun(codec, keyring, 'lineage', run([a, c, d]), null)).toBeNull();
    expect(checkChainedRun(codec, keyring, 'lineage', run([a, c, b, d]), null)).toBeNull();
    expect(checkChainedRun(codec, keyring, 'lineage', run([a, b, a]), null)).toBeNull();
    expect(
      checkChainedRun(codec, keyring, 'lineage', run([a, b, c, codec.withSeal(d, (seal) => ({ ...seal, signature: 'AAAA' }))]), null),
    ).toBeNull();
    expect(checkChainedRun(codec, keyring, 'lineage', run(sealedStream(3, null, gatesKey)), null)).toBeNull();
    expect(checkChainedRun(codec, keyring, 'lineage', run(records), eventHash(d))).toBeNull();
    expect(checkChainedRun(codec, keyring, 'lineage', [], null)).toBeNull();
  });
});

describe('verifying an audit export offline', () => {
  const topic = 'modelreg.lineage.v1';
  const sealedStream = (count: number) => {
    const records: Buffer[] = [];
    for (let version = 1; version <= count; version += 1)
      records.push(
        sealEvent(codec, encoded(version), ingestionKey, records.length ? eventHash(records[records.length - 1] as Buffer) : null),
      );
    return records;
  };
  const exported = (records: Buffer[]) =>
    records.map((value, offset) => ({
      topic,
      partition: 0,
      offset: String(offset),
      eventId: codec.decode(value).data.envelope.eventId,
      rawAvroBase64: value.toString('base64'),
    }));

  it('verifies a whole stream, in log order whatever the export order', () => {
    expect(verifyAuditTrail(codec, keyring, exported(sealedStream(3)).reverse())).toMatchObject({
      verified: 3,
      unsigned: 0,
      breaks: [],
      heads: [{ topic, modelName: 'fraud-model', hash: expect.stringMatching(/^[0-9a-f]{64}$/) }],
    });
  });

  it('names the record after a deleted one, once, with its log coordinates', () => {
    const lines = exported(sealedStream(4));
    lines.splice(1, 1);
    expect(verifyAuditTrail(codec, keyring, lines)).toMatchObject({
      verified: 2,
      unsigned: 0,
      breaks: [expect.objectContaining({ topic, partition: 0, offset: '2', reason: expect.stringMatching(/^chain break on fraud-model/) })],
    });
  });

  it('names a forgery slipped in, and only it; inbound topics count as unsigned', () => {
    const lines = exported(sealedStream(2));
    const forged = { topic, partition: 0, offset: '1', eventId: 'x', rawAvroBase64: encoded(9).toString('base64') };
    const later = lines.map((line, index) => ({ ...line, offset: String(index === 0 ? 0 : 2) }));
    const inbound = { topic: 'modelreg.run-submissions.v1', partition: 0, offset: '0', eventId: 'y' };
    expect(verifyAuditTrail(codec, keyring, [...later, forged, inbound])).toMatchObject({
      verified: 2,
      unsigned: 1,
      breaks: [expect.objectContaining({ offset: '1', reason: 'unsigned event on the lineage topic' })],
    });
  });
});
