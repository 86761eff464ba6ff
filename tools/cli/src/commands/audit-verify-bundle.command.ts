import { readFileSync } from 'node:fs';
import { EventCodec, SchemaCatalog } from '@modelreg/events';
import { verifyAuditBundle, type AuditBundle, type EventProofVerifier } from '@modelreg/projections';
import { CliError, type CommandSpec } from '../cli-arguments';

/**
 * Where event signatures and hash-chain proofs get verified: the event-signing feature sets its
 * verifier here; until then the bundle's `proofs` are reported as not checked.
 */
export const EVENT_PROOF_VERIFIER: EventProofVerifier | null = null;

/** `modelreg audit verify-bundle v127.audit.json`: checks an audit bundle offline, with the schemas shipped with the CLI. */
export const auditVerifyBundleCommand: CommandSpec = {
  name: 'audit verify-bundle',
  summary: 'Verify an audit bundle offline: events decode from their stored bytes and are in log order, policy documents hash to the hashes the decisions recorded, the artifacts are the registered ones, and every signature bundle re-verifies against the trusted signers of the policy that judged it. Exit 0 when everything holds, 1 otherwise.',
  positionals: [{ name: 'file', description: 'the bundle (from `modelreg audit bundle` or the audit-bundle endpoint)' }],
  options: { json: { type: 'boolean', description: 'print the findings as JSON' } },
  examples: ['modelreg audit verify-bundle fraud-model-v127-audit-bundle.json'],
  async run(parsed, context) {
    const [file] = parsed.positionals as [string];
    let bundle: AuditBundle;
    try {
      bundle = JSON.parse(readFileSync(file, 'utf8')) as AuditBundle;
    } catch (error) {
      throw new CliError(`cannot read ${file}: ${(error as Error).message}`);
    }
    const codec = new EventCodec(SchemaCatalog.load());
    const result = verifyAuditBundle(bundle, (raw) => codec.decode(raw), EVENT_PROOF_VERIFIER);
    if (parsed.values['json']) context.print(JSON.stringify(result, null, 2));
    else {
      context.print(`${bundle.modelName} v${bundle.modelVersion} (${bundle.format}, made ${bundle.createdAt})`);
      for (const finding of result.findings) context.print(`${finding.ok ? 'ok  ' : 'FAIL'} ${finding.check}: ${finding.message}`);
      context.print(result.ok ? 'verified' : 'NOT verified');
    }
    return result.ok ? 0 : 1;
  },
};
