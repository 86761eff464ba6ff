import { renderRecipe, reproductionManifest, type VersionView } from '@modelreg/lineage';
import { CliError, type CommandSpec } from '../cli-arguments';
import { getJson } from '../registry-http';

const SETTING = 'MODELREG_PROJECTIONS_URL';

/** `modelreg reproduce fraud-model 127`: how to train v127 again, and what to compare the result with. */
export const reproduceCommand: CommandSpec = {
  name: 'reproduce',
  summary:
    'Print the reproduction manifest of a version: code commit and hash, data snapshots with their time ranges, ' +
    'features with transform hashes, typed hyperparameters, every seed, the environment, and the artifact digests to expect.',
  positionals: [
    { name: 'model', description: 'the model name' },
    { name: 'version', description: 'the version to reproduce' },
  ],
  options: { json: { type: 'boolean', description: 'print the manifest as JSON instead of a recipe' } },
  examples: ['modelreg reproduce fraud-model 127', 'modelreg reproduce fraud-model 127 --json > v127.reproduce.json'],
  async run(parsed, context) {
    const [model, version] = parsed.positionals as [string, string];
    const projectionsUrl = context.config.projectionsUrl;
    if (!projectionsUrl) throw new CliError(`no registry: set ${SETTING} or start the local stack (npm start)`);
    const response = await getJson(
      { url: projectionsUrl, token: context.config.tokens.reader },
      `/v1/models/${encodeURIComponent(model)}/versions/${encodeURIComponent(version)}`,
      SETTING,
    );
    if (response.status !== 200) {
      context.print(`no manifest (${response.status}): ${String(response.body['message'] ?? JSON.stringify(response.body))}`);
      return 1;
    }
    const manifest = reproductionManifest(response.body as unknown as VersionView);
    if (parsed.values['json']) context.print(JSON.stringify(manifest, null, 2));
    else for (const line of renderRecipe(manifest)) context.print(line);
    return 0;
  },
};
