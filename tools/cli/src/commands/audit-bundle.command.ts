import { writeFileSync } from 'node:fs';
import { CliError, type CommandSpec } from '../cli-arguments';
import { getJson } from '../registry-http';

const SETTING = 'MODELREG_PROJECTIONS_URL';

/** `modelreg audit bundle fraud-model 127`: downloads the version's audit bundle to a file. */
export const auditBundleCommand: CommandSpec = {
  name: 'audit bundle',
  summary:
    'Download the audit bundle of a version: its events with log coordinates and bytes, ' +
    'the policy documents that judged it, its artifacts and signature bundles. Check it offline with `modelreg audit verify-bundle`.',
  positionals: [
    { name: 'model', description: 'the model name' },
    { name: 'version', description: 'the version' },
  ],
  options: { out: { type: 'string', valueName: 'FILE', description: 'where to write it (default <model>-v<version>-audit-bundle.json)' } },
  examples: ['modelreg audit bundle fraud-model 127', 'modelreg audit bundle fraud-model 127 --out v127.audit.json'],
  async run(parsed, context) {
    const [model, version] = parsed.positionals as [string, string];
    const projectionsUrl = context.config.projectionsUrl;
    if (!projectionsUrl) throw new CliError(`no registry: set ${SETTING} or start the local stack (npm start)`);
    const response = await getJson(
      { url: projectionsUrl, token: context.config.tokens.auditor },
      `/v1/models/${encodeURIComponent(model)}/versions/${encodeURIComponent(version)}/audit-bundle`,
      SETTING,
    );
    if (response.status !== 200) {
      context.print(`no audit bundle (${response.status}): ${String(response.body['message'] ?? JSON.stringify(response.body))}`);
      return 1;
    }
    const out = (parsed.values['out'] as string | undefined) ?? `${model}-v${version}-audit-bundle.json`;
    writeFileSync(out, JSON.stringify(response.body, null, 2));
    const { events, policies, artifacts } = response.body as { events: unknown[]; policies: unknown[]; artifacts: unknown[] };
    context.print(`wrote ${out}: ${events.length} events, ${policies.length} policy document(s), ${artifacts.length} artifact(s)`);
    return 0;
  },
};
