import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { believedRecord, EventCodec, parseKeyring, SchemaCatalog, signedTopicRole, type Keyring } from '@modelreg/events';
import { verifyAuditBundle, type AuditBundle, type EventProofVerifier } from '@modelreg/projections';
import { CliError, type CommandSpec } from '../cli-arguments';

/** The local stack's keyring (npm run stack:up writes it), used when --keyring is not given. */
const LOCAL_KEYRING = resolve(__dirname, '../../../../.local/event-keys/keyring.json');

/**
 * Each event of the bundle on a signed topic must carry a seal that holds under a key the keyring
 * trusts for that topic. The chain cannot be followed inside one version's bundle (the model's
 * other events sit between its links): `modelreg audit verify` checks it on the model's export.
 */
function sealVerifier(codec: EventCodec, keyring: Keyring): EventProofVerifier {
  return (events) =>
    events.flatMap((event) => {
      const topic = signedTopicRole(event.topic);
      if (topic === null) return [];
      return believedRecord(codec, keyring, topic, Buffer.from(event.rawAvroBase64, 'base64'))
        ? []
        : [
            `${event.eventType} ${event.eventId} at ${event.topic}/${event.partition}@${event.offset}: ` +
              `not signed by a key trusted for the ${topic} topic, or its signature does not hold`,
          ];
    });
}

/** `modelreg audit verify-bundle v127.audit.json`: checks an audit bundle offline, with the schemas shipped with the CLI. */
export const auditVerifyBundleCommand: CommandSpec = {
  name: 'audit verify-bundle',
  summary:
    'Verify an audit bundle offline: events decode from their stored bytes, ' +
    'carry seals that hold under the keyring (--keyring) and are in log order, ' +
    'policy documents hash to the hashes the decisions recorded, the artifacts are the registered ones, ' +
    'and every signature bundle re-verifies against the trusted signers of the policy that judged it. ' +
    'Exit 0 when everything holds, 1 otherwise.',
  positionals: [{ name: 'file', description: 'the bundle (from `modelreg audit bundle` or the audit-bundle endpoint)' }],
  options: {
    json: { type: 'boolean', description: 'print the findings as JSON' },
    keyring: {
      type: 'string',
      valueName: 'file',
      description:
        "the services' trusted public keys, to check each event's signature " +
        "(keyring.json of EVENT_KEYS_DIR; default: the local stack's, when present)",
    },
  },
  examples: [
    'modelreg audit verify-bundle fraud-model-v127-audit-bundle.json',
    'modelreg audit verify-bundle v127.audit.json --keyring /etc/modelreg/keyring.json',
  ],
  async run(parsed, context) {
    const [file] = parsed.positionals as [string];
    let bundle: AuditBundle;
    try {
      bundle = JSON.parse(readFileSync(file, 'utf8')) as AuditBundle;
    } catch (error) {
      throw new CliError(`cannot read ${file}: ${(error as Error).message}`);
    }
    const codec = new EventCodec(SchemaCatalog.load());
    const keyringFile = (parsed.values['keyring'] as string | undefined) ?? (existsSync(LOCAL_KEYRING) ? LOCAL_KEYRING : null);
    let keyring: Keyring | null = null;
    try {
      keyring = keyringFile ? parseKeyring(readFileSync(keyringFile, 'utf8')) : null;
    } catch (error) {
      throw new CliError(`cannot read the keyring ${keyringFile}: ${(error as Error).message}`);
    }
    const result = verifyAuditBundle(bundle, (raw) => codec.decode(raw), keyring ? sealVerifier(codec, keyring) : null);
    if (parsed.values['json']) context.print(JSON.stringify(result, null, 2));
    else {
      context.print(`${bundle.modelName} v${bundle.modelVersion} (${bundle.format}, made ${bundle.createdAt})`);
      for (const finding of result.findings) context.print(`${finding.ok ? 'ok  ' : 'FAIL'} ${finding.check}: ${finding.message}`);
      context.print(result.ok ? 'verified' : 'NOT verified');
    }
    return result.ok ? 0 : 1;
  },
};
