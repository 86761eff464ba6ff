import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash, randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exampleRunSubmissionJson } from '@modelreg/lineage';
import { bearer, createTestEnvironment, REPO_ROOT, startService, type RunningService, type TestEnvironment } from '@modelreg/testing';

/** `modelreg register` against a real ingestion service. */
describe('modelreg register', () => {
  let environment: TestEnvironment;
  let ingestion: RunningService;

  beforeAll(async () => {
    environment = await createTestEnvironment('cli');
    ingestion = await startService('ingestion', environment.env);
  });

  afterAll(async () => {
    await ingestion?.stop();
    await environment?.dispose();
  });

  const cacheDir = mkdtempSync(join(tmpdir(), 'modelreg-cache-'));
  const modelreg = (args: string[], env: Record<string, string> = {}) =>
    spawnSync(process.execPath, [join(REPO_ROOT, 'tools/cli/modelreg.js'), ...args], {
      encoding: 'utf8',
      env: {
        ...process.env,
        MODELREG_INGESTION_URL: ingestion.url,
        MODELREG_CACHE_DIR: cacheDir,
        MODELREG_TOKEN: bearer('trainer').authorization.slice('Bearer '.length),
        ...env,
      },
    });
  const isStored = async (bytes: Buffer) =>
    (await fetch(`${ingestion.url}/v1/artifacts/${createHash('sha256').update(bytes).digest('hex')}`, { headers: bearer('reader') }))
      .status === 200;

  /** The example run without the parts register supplies itself: artifacts and the environment. */
  const manifestFor = (trainingRunId: string, overrides: Record<string, unknown> = {}) => {
    const { artifacts: _artifacts, environment: _environment, ...manifest } = exampleRunSubmissionJson('cli-model', trainingRunId);
    return JSON.stringify({ ...manifest, ...overrides });
  };

  it('probes the environment, uploads every artifact, registers the run, and is idempotent on a retry', () => {
    const dir = mkdtempSync(join(tmpdir(), 'modelreg-cli-'));
    writeFileSync(join(dir, 'model.savedmodel.tar'), randomBytes(3 * 1024 * 1024));
    writeFileSync(join(dir, 'model.tflite'), randomBytes(256 * 1024));
    writeFileSync(join(dir, 'run.json'), manifestFor('train-cli-1'));
    const args = [
      'register',
      '--manifest',
      join(dir, 'run.json'),
      '--dir',
      dir,
      '--artifact',
      `server=${join(dir, 'model.savedmodel.tar')}`,
      '--artifact',
      `mobile=${join(dir, 'model.tflite')}`,
    ];

    const first = modelreg(args);
    expect(first.stderr + first.stdout).toMatch(/cli-model v1 registered/);
    expect(first.status).toBe(0);
    const probed = JSON.parse(modelreg(['fingerprint', '--dir', dir]).stdout) as { fingerprint: string };
    expect(first.stdout).toContain(`environment probed: fingerprint ${probed.fingerprint}`);
    expect(first.stderr).toMatch(/uploading .*model\.savedmodel\.tar \[.*\] 100% 3\.0 MiB \/ 3\.0 MiB, .*\/s, done/);
    const retry = modelreg(args);
    expect(retry.stdout).toMatch(/cli-model v1 was already registered for this training run/);
    // Hashes of unchanged files come from the cache, and stored artifacts are not sent again.
    expect(retry.stdout).toMatch(/server: .*model\.savedmodel\.tar already stored as s3:\/\/.* \(not uploaded\)/);
    expect(retry.stderr).not.toMatch(/hashing|uploading/);
  });

  it('checks the manifest before hashing or uploading anything', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'modelreg-cli-'));
    const bytes = randomBytes(64 * 1024);
    writeFileSync(join(dir, 'model.onnx'), bytes);
    writeFileSync(join(dir, 'run.json'), manifestFor('train-cli-3', { hyperparameters: { learning_rate: 'NaN-ish', '': 1 } }));
    const refused = modelreg(['register', '--manifest', join(dir, 'run.json'), '--artifact', `server=${join(dir, 'model.onnx')}`]);
    expect(refused.status).toBe(1);
    expect(refused.stdout).toContain(`the manifest ${join(dir, 'run.json')} is not valid; nothing was uploaded:`);
    expect(refused.stdout).toMatch(/hyperparameters/);
    expect(refused.stderr).not.toMatch(/hashing|uploading/);
    expect(await isStored(bytes)).toBe(false);
  });

  it('names a missing file, a manifest that is not JSON and an unreachable registry', () => {
    const dir = mkdtempSync(join(tmpdir(), 'modelreg-cli-'));
    writeFileSync(join(dir, 'run.json'), '{"modelName": ');
    writeFileSync(join(dir, 'ok.json'), manifestFor('train-cli-4'));
    writeFileSync(join(dir, 'model.onnx'), randomBytes(1024));
    const missing = modelreg(['register', '--manifest', join(dir, 'ok.json'), '--artifact', `server=${join(dir, 'absent.onnx')}`]);
    expect([missing.status, missing.stderr.trim()]).toEqual([
      1,
      `modelreg: the artifact file ${join(dir, 'absent.onnx')} (--artifact server=${join(dir, 'absent.onnx')}) does not exist`,
    ]);
    const notJson = modelreg(['register', '--manifest', join(dir, 'run.json'), '--artifact', `server=${join(dir, 'model.onnx')}`]);
    expect(notJson.status).toBe(1);
    expect(notJson.stderr).toContain(`the manifest ${join(dir, 'run.json')} is not a JSON object`);
    const nowhere = modelreg(['register', '--manifest', join(dir, 'ok.json'), '--artifact', `server=${join(dir, 'model.onnx')}`], {
      MODELREG_INGESTION_URL: 'http://127.0.0.1:1/',
    });
    expect(nowhere.status).toBe(1);
    expect(nowhere.stderr).toMatch(
      /cannot reach the registry at http:\/\/127\.0\.0\.1:1 \(.+\)\. Is it running\? .* MODELREG_INGESTION_URL/,
    );
  });

  it('takes the facts from --environment instead, checking their fingerprint as the registry does (shared vectors)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'modelreg-cli-'));
    writeFileSync(join(dir, 'model.onnx'), randomBytes(2048));
    writeFileSync(join(dir, 'run.json'), manifestFor('train-cli-5'));
    const vectors = JSON.parse(readFileSync(join(REPO_ROOT, 'schemas/vectors/environment-fingerprint.json'), 'utf8')) as {
      environmentFingerprint: { cases: Array<{ facts: object; fingerprint: string }> };
    };
    const mixed = vectors.environmentFingerprint.cases[2] as { facts: object; fingerprint: string };
    const register = (fingerprint: string) => {
      writeFileSync(join(dir, 'facts.json'), JSON.stringify({ ...mixed.facts, fingerprint }));
      return modelreg([
        'register',
        '--manifest',
        join(dir, 'run.json'),
        '--environment',
        join(dir, 'facts.json'),
        '--artifact',
        `server=${join(dir, 'model.onnx')}`,
      ]);
    };
    const wrong = register('f'.repeat(64));
    expect(wrong.stdout).toMatch(/environment.fingerprint: does not match/);
    const right = register(mixed.fingerprint);
    expect(right.stdout).toMatch(/cli-model v\d+ registered/);
    expect(right.status).toBe(0);
  });

  it('refuses a manifest that already holds an environment', () => {
    const dir = mkdtempSync(join(tmpdir(), 'modelreg-cli-'));
    writeFileSync(join(dir, 'run.json'), manifestFor('train-cli-6', { environment: { os: 'x' } }));
    const result = modelreg(['register', '--manifest', join(dir, 'run.json'), '--artifact', `server=${join(dir, 'run.json')}`]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/has an environment/);
  });

  it('prints the fields at fault and exits non-zero when the registry refuses the run', () => {
    const dir = mkdtempSync(join(tmpdir(), 'modelreg-cli-'));
    writeFileSync(join(dir, 'model.onnx'), randomBytes(1024));
    writeFileSync(join(dir, 'run.json'), manifestFor('train-cli-2', { seeds: {} }));
    const refused = modelreg(['register', '--manifest', join(dir, 'run.json'), '--artifact', `server=${join(dir, 'model.onnx')}`]);
    expect(refused.status).toBe(1);
    expect(refused.stdout).toMatch(/seeds: must name at least one seed/);
  });

  it('exits 2 with a usage error for a malformed --artifact', () => {
    const result = modelreg(['register', '--manifest', 'x.json', '--artifact', 'model.onnx']);
    expect(result.status).toBe(2);
  });
});
