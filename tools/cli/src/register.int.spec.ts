import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
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

  it('uploads every artifact, registers the run, and is idempotent on a retry', () => {
    const dir = mkdtempSync(join(tmpdir(), 'modelreg-cli-'));
    writeFileSync(join(dir, 'model.savedmodel.tar'), randomBytes(3 * 1024 * 1024));
    writeFileSync(join(dir, 'model.tflite'), randomBytes(256 * 1024));
    const { artifacts: _ignored, ...manifest } = exampleRunSubmissionJson('cli-model', 'train-cli-1');
    writeFileSync(join(dir, 'run.json'), JSON.stringify(manifest));
    const args = ['register', '--manifest', join(dir, 'run.json'), '--artifact', `server=${join(dir, 'model.savedmodel.tar')}`, '--artifact', `mobile=${join(dir, 'model.tflite')}`];

    const first = modelreg(args);
    expect(first.stderr + first.stdout).toMatch(/cli-model v1 registered/);
    expect(first.status).toBe(0);
    const retry = modelreg(args);
    expect(retry.stdout).toMatch(/cli-model v1 was already registered for this training run/);
    expect(retry.stdout).toMatch(/\(already stored\)/);
  });

  it('prints the fields at fault and exits non-zero when the registry refuses the run', () => {
    const dir = mkdtempSync(join(tmpdir(), 'modelreg-cli-'));
    writeFileSync(join(dir, 'model.onnx'), randomBytes(1024));
    const { artifacts: _ignored, ...manifest } = exampleRunSubmissionJson('cli-model', 'train-cli-2');
    writeFileSync(join(dir, 'run.json'), JSON.stringify({ ...manifest, seeds: {} }));
    const refused = modelreg(['register', '--manifest', join(dir, 'run.json'), '--artifact', `server=${join(dir, 'model.onnx')}`]);
    expect(refused.status).toBe(1);
    expect(refused.stdout).toMatch(/seeds: must name at least one seed/);
  });

  it('exits 2 with a usage error for a malformed --artifact', () => {
    const result = modelreg(['register', '--manifest', 'x.json', '--artifact', 'model.onnx']);
    expect(result.status).toBe(2);
  });
});
