import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SchemaCatalog } from '../catalog/schema-catalog';
import { EventCodec } from '../codec/single-object-codec';
import { exampleRunRegistered } from '../examples/example-events';
import type { RunRegistered } from '../contracts/run-registered';
import { checkEvent } from './check-event';
import { eventHash, sealEvent } from './event-seal';
import { readKeyring, readSigningKey, writeEventKeyDirectory } from './key-directory';

const codec = new EventCodec(SchemaCatalog.load());
const dir = mkdtempSync(join(tmpdir(), 'event-keys-'));
writeEventKeyDirectory(dir);
const keyring = readKeyring(dir);
const ingestionKey = readSigningKey(dir, 'ingestion');
const gatesKey = readSigningKey(dir, 'gate-validator');

const encoded = (version: number, overrides: Partial<RunRegistered> = {}) => codec.encode({ type: 'RunRegistered', data: exampleRunRegistered('fraud-model', version, overrides) });

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
    expect(envelope).toMatchObject({ signingKeyId: ingestionKey.keyId, previousEventHash: eventHash(first), principal: { subject: 'ci-trainer' }, requestId: 'req-2' });
    expect(envelope.signature).toMatch(/^[A-Za-z0-9+/]+=*$/);
  });

  it('refuses an unsigned event', () => {
    expect(given().when(encoded(1))).toEqual({ ok: false, reason: 'unsigned event on the lineage topic' });
  });

  it('refuses an event altered after it was signed', () => {
    const altered = codec.rewriteEnvelope(second, (envelope) => ({ ...envelope, principal: { subject: 'mallory', issuer: 'x', roles: [] } }));
    expect(given(first).when(altered)).toMatchObject({ ok: false, reason: expect.stringMatching(/^forged event/) });
  });

  it('refuses a key that is not trusted for the topic: the gate validator cannot sign registrations', () => {
    expect(given().when(sealEvent(codec, encoded(1), gatesKey, null))).toMatchObject({ ok: false, reason: expect.stringMatching(/is not trusted for the lineage topic/) });
  });

  it('refuses a key nobody trusts', () => {
    expect(given().when(sealEvent(codec, encoded(1), { ...ingestionKey, keyId: 'ingestion:stolen' }, null))).toEqual({ ok: false, reason: 'unknown signing key ingestion:stolen' });
  });

  it('detects a deleted record: the next one names a previous event the consumer never believed', () => {
    const third = sealEvent(codec, encoded(3), ingestionKey, eventHash(second));
    expect(given(first).when(third)).toMatchObject({ ok: false, reason: expect.stringMatching(/^chain break on fraud-model/) });
  });

  it('refuses a replayed old signed event', () => {
    expect(given(first, second).when(first)).toMatchObject({ ok: false, reason: expect.stringMatching(/^chain break/) });
  });
});
