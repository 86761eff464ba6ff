import { readFileSync, statSync } from 'node:fs';
import { computeEnvironmentFingerprint } from '@modelreg/lineage';
import { CliUsageError, inferFormat, parseArtifactFlag, type CliArguments } from '../cli-arguments';
import { probeEnvironment } from '../environment-probe';
import { hashFile, postJson, uploadFile, type Progress } from '../registry-http';

/**
 * `modelreg register --manifest run.json --artifact server=model.savedmodel.tar --artifact mobile=model.tflite`:
 * probes this machine's environment (`--dir`: where the lockfile is, default the working directory;
 * or takes the facts from `--environment facts.json`), hashes and
 * uploads each artifact (streamed, with progress), then registers the run with its lineage. The
 * manifest holds everything else; an `environment` in it is refused, so probed facts never silently
 * replace written ones.
 */
export async function registerCommand(args: CliArguments, ingestionUrl: string, progress: Progress, print: (line: string) => void): Promise<number> {
  const manifestPath = args.flags['manifest']?.[0];
  if (!manifestPath) throw new CliUsageError('register needs --manifest run.json');
  const files = (args.flags['artifact'] ?? []).map(parseArtifactFlag);
  if (files.length === 0) throw new CliUsageError('register needs at least one --artifact target=path');
  const manifest = readManifest(manifestPath);
  if (manifest['environment'] !== undefined) throw new CliUsageError(`${manifestPath} has an environment; register probes it, or takes it from --environment facts.json`);
  const environmentFile = args.flags['environment']?.[0];
  let facts: Record<string, unknown>;
  if (environmentFile) {
    facts = readManifest(environmentFile);
    print(`environment from ${environmentFile}`);
  } else {
    const probed = probeEnvironment(args.flags['dir']?.[0] ?? process.cwd());
    print(`environment probed: fingerprint ${computeEnvironmentFingerprint(probed)}`);
    facts = { ...probed };
  }
  const declared = new Map(((manifest['artifacts'] as Array<{ target: string; format?: string }> | undefined) ?? []).map((artifact) => [artifact.target, artifact.format]));
  const artifacts = [];
  for (const file of files) {
    const format = inferFormat(file.path, declared.get(file.target));
    const sha256 = await hashFile(file.path, progress);
    const uploaded = await uploadFile(ingestionUrl, file.path, sha256, progress);
    if (uploaded.status !== 201 && uploaded.status !== 200) {
      print(`upload of ${file.path} failed (${uploaded.status}): ${JSON.stringify(uploaded.body)}`);
      return 1;
    }
    print(`${file.target}: ${file.path} stored as ${String(uploaded.body['storageUri'])}${uploaded.body['deduplicated'] ? ' (already stored)' : ''}`);
    artifacts.push({ target: file.target, format, sizeBytes: statSync(file.path).size, sha256 });
  }
  const registered = await postJson(ingestionUrl, '/v1/runs', { ...manifest, artifacts, environment: facts });
  if (registered.status === 201 || registered.status === 200) {
    print(`${String(registered.body['modelName'])} v${String(registered.body['modelVersion'])} ${registered.status === 201 ? 'registered' : 'was already registered for this training run'} (event ${String(registered.body['eventId'])})`);
    return 0;
  }
  print(`registration refused (${registered.status}):`);
  for (const error of (registered.body['errors'] as Array<{ field: string; message: string }> | undefined) ?? []) print(`  ${error.field}: ${error.message}`);
  if (registered.body['message']) print(`  ${String(registered.body['message'])}`);
  return 1;
}

function readManifest(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new CliUsageError(`cannot read ${path}: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch (error) {
    throw new CliUsageError(`${path} is not JSON: ${(error as Error).message}`);
  }
}
