import { existsSync, readFileSync, statSync } from 'node:fs';
import { computeEnvironmentFingerprint, validateRunSubmission } from '@modelreg/lineage';
import { CliError, CliUsageError, inferFormat, parseArtifactFlag, type CommandSpec } from '../cli-arguments';
import { probeEnvironment } from '../environment-probe';
import { HashCache } from '../hash-cache';
import { getJson, hashFile, postJson, uploadFile } from '../registry-http';

const SETTING = 'MODELREG_INGESTION_URL';
/** Stands in for the digests while the manifest is checked, before the files are hashed. */
const PLACEHOLDER_SHA256 = '0'.repeat(64);

/**
 * `modelreg register --manifest run.json --artifact server=model.savedmodel.tar`: probes this
 * machine's environment (or takes the facts from `--environment facts.json`), checks the files and
 * the manifest first (the same validation as the server), hashes each artifact (remembering hashes
 * of unchanged files), uploads only what the registry does not already hold, then registers. An
 * `environment` in the manifest is refused, so probed facts never silently replace written ones.
 */
export const registerCommand: CommandSpec = {
  name: 'register',
  summary:
    'Register a training run: its lineage (the manifest) and its model artifacts. ' +
    'Nothing is uploaded until the manifest is valid; artifacts the registry already holds are not uploaded again.',
  positionals: [],
  options: {
    manifest: {
      type: 'string',
      valueName: 'run.json',
      description: 'the run: model name, training run id, code, data, features, hyperparameters, seeds, metrics (not the environment)',
    },
    artifact: {
      type: 'string',
      multiple: true,
      valueName: 'target=path',
      description: 'a model file for a deployment target, e.g. server=model.onnx',
    },
    environment: {
      type: 'string',
      valueName: 'facts.json',
      description: 'take the environment facts from this file instead of probing this machine',
    },
    dir: { type: 'string', valueName: 'path', description: 'where the probe looks for lockfiles (default: the current directory)' },
  },
  examples: [
    'modelreg register --manifest run.json --artifact server=model.savedmodel.tar --artifact mobile=model.tflite',
    'modelreg register --manifest run.json --artifact server=model.onnx --environment facts.json',
  ],
  async run(parsed, context) {
    const manifestPath = parsed.values['manifest'] as string | undefined;
    if (!manifestPath) throw new CliUsageError('register needs --manifest run.json (see modelreg register --help)');
    const files = ((parsed.values['artifact'] as string[] | undefined) ?? []).map(parseArtifactFlag);
    if (files.length === 0) throw new CliUsageError('register needs at least one --artifact target=path (see modelreg register --help)');
    const ingestionUrl = context.config.ingestionUrl;
    if (!ingestionUrl) throw new CliError(`no registry: set ${SETTING} or start the local stack (npm start)`);
    const ingestion = { url: ingestionUrl, token: context.config.tokens.trainer };
    const written = readManifest(manifestPath);
    if (written['environment'] !== undefined)
      throw new CliUsageError(`${manifestPath} has an environment; register probes it, or takes it from --environment facts.json`);
    const environmentFile = parsed.values['environment'] as string | undefined;
    let environment: Record<string, unknown>;
    if (environmentFile) {
      environment = readManifest(environmentFile, 'environment facts');
      context.print(`environment from ${environmentFile}`);
    } else {
      const probed = probeEnvironment((parsed.values['dir'] as string | undefined) ?? process.cwd());
      context.print(`environment probed: fingerprint ${computeEnvironmentFingerprint(probed)}`);
      environment = { ...probed };
    }
    const manifest: Record<string, unknown> = { ...written, environment };
    for (const file of files) checkReadable(file.path, file.target);
    const declared = new Map(
      ((manifest['artifacts'] as Array<{ target: string; format?: string }> | undefined) ?? []).map((artifact) => [
        artifact.target,
        artifact.format,
      ]),
    );

    // Validate before any slow or visible work: hashing and uploading wait for a valid manifest.
    const planned = files.map((file) => ({
      target: file.target,
      format: inferFormat(file.path, declared.get(file.target)),
      sizeBytes: statSync(file.path).size,
      path: file.path,
    }));
    const validation = validateRunSubmission({
      ...manifest,
      artifacts: planned.map(({ path: _path, ...artifact }) => ({ ...artifact, sha256: PLACEHOLDER_SHA256 })),
    });
    if (!validation.ok) {
      context.print(`the manifest ${manifestPath} is not valid; nothing was uploaded:`);
      for (const error of validation.errors) context.print(`  ${error.field}: ${error.message}`);
      return 1;
    }

    const cache = HashCache.inDirectory(context.config.cacheDir);
    const artifacts = [];
    for (const artifact of planned) {
      const sha256 = cache.get(artifact.path) ?? (await hashFile(artifact.path, context.progress));
      cache.set(artifact.path, sha256);
      artifacts.push({ ...artifact, sha256 });
    }
    const body = { ...manifest, artifacts: artifacts.map(({ path: _path, ...artifact }) => artifact) };

    for (const artifact of artifacts) {
      const stored = await getJson(ingestion, `/v1/artifacts/${artifact.sha256}`, SETTING);
      if (stored.status === 200) {
        context.print(`${artifact.target}: ${artifact.path} already stored as ${String(stored.body['storageUri'])} (not uploaded)`);
        continue;
      }
      const uploaded = await uploadFile(ingestion, artifact.path, artifact.sha256, context.progress, SETTING);
      if (uploaded.status !== 201 && uploaded.status !== 200) {
        context.print(
          `upload of ${artifact.path} failed (${uploaded.status}): ${String(uploaded.body['message'] ?? JSON.stringify(uploaded.body))}`,
        );
        return 1;
      }
      context.print(`${artifact.target}: ${artifact.path} stored as ${String(uploaded.body['storageUri'])}`);
    }
    const registered = await postJson(ingestion, '/v1/runs', body, SETTING);
    if (registered.status === 201 || registered.status === 200) {
      context.print(
        `${String(registered.body['modelName'])} v${String(registered.body['modelVersion'])} ` +
          `${registered.status === 201 ? 'registered' : 'was already registered for this training run'} ` +
          `(event ${String(registered.body['eventId'])})`,
      );
      return 0;
    }
    context.print(`registration refused (${registered.status}):`);
    for (const error of (registered.body['errors'] as Array<{ field: string; message: string }> | undefined) ?? [])
      context.print(`  ${error.field}: ${error.message}`);
    if (registered.body['message']) context.print(`  ${String(registered.body['message'])}`);
    return 1;
  },
};

function checkReadable(path: string, target: string): void {
  if (!existsSync(path)) throw new CliError(`the artifact file ${path} (--artifact ${target}=${path}) does not exist`);
  if (!statSync(path).isFile())
    throw new CliError(
      `the artifact ${path} (--artifact ${target}=${path}) is not a regular file; pack a directory into one file first (e.g. tar)`,
    );
  if (statSync(path).size === 0) throw new CliError(`the artifact file ${path} (--artifact ${target}=${path}) is empty`);
}

function readManifest(path: string, what = 'manifest'): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new CliError(
      code === 'ENOENT' ? `the ${what} ${path} does not exist` : `cannot read the ${what} ${path}: ${(error as Error).message}`,
    );
  }
  try {
    const manifest = JSON.parse(text) as unknown;
    if (manifest === null || typeof manifest !== 'object' || Array.isArray(manifest)) throw new Error('it must be a JSON object');
    return manifest as Record<string, unknown>;
  } catch (error) {
    throw new CliError(`the ${what} ${path} is not a JSON object: ${(error as Error).message}`);
  }
}
