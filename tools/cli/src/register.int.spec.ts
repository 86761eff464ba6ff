import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exampleRunSubmissionJson } from '@modelreg/lineage';
import { createTestEnvironment, REPO_ROOT, startService, type RunningService, type TestEnvironment } from '@modelreg/testing';

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

  const modelreg = (args: string[]) =>
    spawnSync(process.execPath, [join(REPO_ROOT, 'tools/cli/modelreg.js'), ...args], { encoding: 'utf8', env: { ...process.env, MODELREG_INGESTION_URL: ingestion.url } });

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
    const args = ['register', '--manifest', join(dir, 'run.json'), '--dir', dir, '--artifact', `server=${join(dir, 'model.savedmodel.tar')}`, '--artifact', `mobile=${join(dir, 'model.tflite')}`];

    const first = modelreg(args);
    expect(first.stderr + first.stdout).toMatch(/cli-model v1 registered/);
    expect(first.status).toBe(0);
    const probed = JSON.parse(modelreg(['fingerprint', '--dir', dir]).stdout) as { fingerprint: string };
    expect(first.stdout).toContain(`environment probed: fingerprint ${probed.fingerprint}`);
    const retry = modelreg(args);
    expect(retry.stdout).toMatch(/cli-model v1 was already registered for this training run/);
    expect(retry.stdout).toMatch(/\(already stored\)/);
  });

  it('takes the facts from --environment instead, and the registry checks their fingerprint (shared vectors)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'modelreg-cli-'));
    writeFileSync(join(dir, 'model.onnx'), randomBytes(2048));
    writeFileSync(join(dir, 'run.json'), manifestFor('train-cli-3'));
    const vectors = JSON.parse(readFileSync(join(REPO_ROOT, 'schemas/vectors/environment-fingerprint.json'), 'utf8')) as { environmentFingerprint: { cases: Array<{ facts: object; fingerprint: string }> } };
    const mixed = vectors.environmentFingerprint.cases[2] as { facts: object; fingerprint: string };
    const register = (fingerprint: string) => {
      writeFileSync(join(dir, 'facts.json'), JSON.stringify({ ...mixed.facts, fingerprint }));
      return modelreg(['register', '--manifest', join(dir, 'run.json'), '--environment', join(dir, 'facts.json'), '--artifact', `server=${join(dir, 'model.onnx')}`]);
    };
    const wrong = register('f'.repeat(64));
    expect(wrong.stdout).toMatch(/environment.fingerprint: does not match/);
    const right = register(mixed.fingerprint);
    expect(right.stdout).toMatch(/cli-model v\d+ registered/);
    expect(right.status).toBe(0);
  });

  it('refuses a manifest that already holds an environment', () => {
    const dir = mkdtempSync(join(tmpdir(), 'modelreg-cli-'));
    writeFileSync(join(dir, 'run.json'), manifestFor('train-cli-4', { environment: { os: 'x' } }));
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
