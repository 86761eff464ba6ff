import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { EventCodec, parseKeyring, SchemaCatalog, verifyAuditTrail, type AuditRecord } from '@modelreg/events';
import { CliError, type CommandSpec } from '../cli-arguments';

/** The local stack's keyring (npm run stack:up writes it), used when --keyring is not given. */
const LOCAL_KEYRING = resolve(__dirname, '../../../../.local/event-keys/keyring.json');

/** `modelreg audit verify <export-file> [--keyring file]`: checks an audit export offline, signatures and chains. */
export const auditVerifyCommand: CommandSpec = {
  name: 'audit verify',
  summary:
    'Verify an audit export offline: every record on a signed topic must be signed by a key the keyring trusts for that topic, ' +
    'and each model stream must chain from its first event to its last; ' +
    'each break is printed with its topic, partition and offset. Exit 1 on any break. ' +
    'Export the whole model with raw bytes: GET /v1/models/{name}/audit?raw=true.',
  positionals: [{ name: 'export-file', description: 'JSON Lines audit export with rawAvroBase64 on each line' }],
  options: {
    keyring: {
      type: 'string',
      valueName: 'file',
      description: "the trusted public keys (keyring.json of EVENT_KEYS_DIR; default: the local stack's)",
    },
  },
  examples: ['modelreg audit verify fraud-model-audit.jsonl', 'modelreg audit verify export.jsonl --keyring /etc/modelreg/keyring.json'],
  async run(parsed, context) {
    const [file] = parsed.positionals as [string];
    const keyring = parseKeyring(readText((parsed.values['keyring'] as string | undefined) ?? LOCAL_KEYRING, 'keyring'));
    const records = readText(file, 'export')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line, index) => parseLine(line, index + 1));
    const result = verifyAuditTrail(new EventCodec(SchemaCatalog.load()), keyring, records);
    for (const fault of result.breaks)
      context.print(`BREAK ${fault.topic}/${fault.partition}@${fault.offset} (event ${fault.eventId}): ${fault.reason}`);
    context.print(
      `${result.verified} event(s) verified, ${result.unsigned} on inbound topics (not signed), ${result.breaks.length} break(s)`,
    );
    return result.breaks.length === 0 ? 0 : 1;
  },
};

function readText(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read the ${what} ${file}: ${(error as Error).message}`);
  }
}

function parseLine(line: string, number: number): AuditRecord {
  try {
    const parsed = JSON.parse(line) as AuditRecord;
    if (typeof parsed.topic !== 'string' || typeof parsed.offset !== 'string')
      throw new Error('not an audit line (topic, partition, offset)');
    return parsed;
  } catch (error) {
    throw new CliError(`export line ${number}: ${(error as Error).message}`);
  }
}
