import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  eventHash,
  EventCodec,
  exampleRunRegistered,
  readSigningKey,
  SchemaCatalog,
  sealEvent,
  writeEventKeyDirectory,
} from '@modelreg/events';
import type { CommandContext } from '../cli-arguments';
import { runCli } from '../cli';

const codec = new EventCodec(SchemaCatalog.load());
const dir = mkdtempSync(join(tmpdir(), 'audit-cli-'));
writeEventKeyDirectory(dir);
const key = readSigningKey(dir, 'ingestion');

function context(): CommandContext & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    print: (line) => lines.push(line),
    config: { ingestionUrl: null, projectionsUrl: null, cacheDir: '/nonexistent', tokens: { trainer: null, reader: null, auditor: null } },
    progress: { start: () => undefined, update: () => undefined, stop: () => undefined },
    interactive: false,
    ask: async () => '',
  };
}

/** An export of three sealed registrations, as GET /v1/models/{name}/audit?raw=true writes it, less the lines left out. */
function exportFile(leaveOut: number[] = []): string {
  const records: Buffer[] = [];
  for (let version = 1; version <= 3; version += 1)
    records.push(
      sealEvent(
        codec,
        codec.encode({ type: 'RunRegistered', data: exampleRunRegistered('fraud-model', version) }),
        key,
        records.length ? eventHash(records[records.length - 1] as Buffer) : null,
      ),
    );
  const lines = records
    .map((value, offset) => ({
      topic: 'modelreg.lineage.v1',
      partition: 0,
      offset: String(offset),
      eventId: codec.decode(value).data.envelope.eventId,
      rawAvroBase64: value.toString('base64'),
    }))
    .filter((_, index) => !leaveOut.includes(index));
  const file = join(dir, `export-${leaveOut.join('-')}.jsonl`);
  writeFileSync(file, lines.map((line) => JSON.stringify(line)).join('\n') + '\n');
  return file;
}

describe('modelreg audit verify', () => {
  it('verifies an intact export: exit 0', async () => {
    const out = context();
    expect(await runCli(['audit', 'verify', exportFile(), '--keyring', join(dir, 'keyring.json')], out)).toBe(0);
    expect(out.lines).toEqual(['3 event(s) verified, 0 on inbound topics (not signed), 0 break(s)']);
  });

  it('names the record after a deleted one with its log coordinates: exit 1', async () => {
    const out = context();
    expect(await runCli(['audit', 'verify', exportFile([1]), '--keyring', join(dir, 'keyring.json')], out)).toBe(1);
    expect(out.lines).toEqual([
      expect.stringMatching(/^BREAK modelreg\.lineage\.v1\/0@2 \(event [\w-]+\): chain break on fraud-model/),
      '1 event(s) verified, 0 on inbound topics (not signed), 1 break(s)',
    ]);
  });

  it('refuses an unknown audit command', async () => {
    await expect(runCli(['audit', 'check', exportFile()], context())).rejects.toThrow(/unknown command "audit"/);
  });
});
