import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeEventKeyDirectory } from '@modelreg/events';
import { exampleRunSubmissionJson } from '@modelreg/lineage';
import { bearer, eventually, REPO_ROOT, startRegistry, type TestRegistry } from '@modelreg/testing';
import { generateSigningKey, keyIdOf, modelDirectory, sha256Of, signModel, workDir, type SigningKey } from './model-signing';
import { getJson, postJson, registerRun } from './registry-client';

const MODEL = 'prov-fraud';

/**
 * Provenance on the real stack: artifacts signed by the real model-signing tool, verified by the
 * gate against the policy's trusted signers (a file, a directory, tampered bytes, a wrong key, an
 * untrusted signer); reproductions compared and recorded; the audit bundle downloaded and verified
 * offline with one command, and refused once altered.
 */
describe('provenance: signed artifacts, reproductions, audit bundles', () => {
  let registry: TestRegistry;
  let dir: string;
  let trainer: SigningKey;
  let stranger: SigningKey;

  const upload = async (bytes: Buffer) => {
    const sha256 = sha256Of(bytes);
    const response = await fetch(`${registry.ingestion.url}/v1/artifacts/${sha256}`, {
      method: 'PUT',
      body: bytes,
      headers: { ...bearer('trainer'), 'content-type': 'application/octet-stream' },
    });
    expect([200, 201]).toContain(response.status);
    return { sha256, sizeBytes: bytes.length };
  };
  const register = async (
    runId: string,
    artifact: { sha256: string; sizeBytes: number },
    extra: { signature?: unknown; reproductionOf?: number; auc?: number } = {},
  ) => {
    const body = exampleRunSubmissionJson(MODEL, runId, artifact.sha256, artifact.sizeBytes) as Record<string, any>;
    if (extra.signature) body['artifacts'][0].signature = extra.signature;
    if (extra.reproductionOf) body['reproductionOf'] = extra.reproductionOf;
    if (extra.auc !== undefined) body['metrics'].overall.auc = extra.auc;
    const reply = await registerRun(registry.ingestion.url, body).catch((error: Error) => {
      throw new Error(`${error.message}; ingestion said:\n${registry.ingestion.output().slice(-3000)}`);
    });
    expect(reply.status).toBe(201);
    return reply.body['modelVersion'] as number;
  };
  const decision = (version: number) =>
    eventually(
      () => getJson(`${registry.projections.url}/v1/models/${MODEL}/versions/${version}/decisions`),
      (r) => r.status === 200 && r.body.items.length > 0,
      { what: `decision on v${version}`, timeoutMs: 60_000 },
    ).then((r) => r.body.items[0]);
  const signatureCheck = async (version: number) =>
    (await decision(version)).checks.find((check: any) => check.kind === 'artifact-signature');
  /** The CLI as a user runs it, without blocking this process's event loop. */
  const modelreg = async (...args: string[]): Promise<{ status: number; stdout: string; stderr: string }> => {
    const options = {
      encoding: 'utf8' as const,
      env: {
        ...process.env,
        MODELREG_PROJECTIONS_URL: registry.projections.url,
        MODELREG_TOKEN: bearer().authorization.slice('Bearer '.length),
      },
    };
    try {
      return { status: 0, ...(await promisify(execFile)(process.execPath, [join(REPO_ROOT, 'tools/cli/modelreg.js'), ...args], options)) };
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string };
      return { status: failed.code, stdout: failed.stdout, stderr: failed.stderr };
    }
  };

  beforeAll(async () => {
    registry = await startRegistry('provenance');
    dir = workDir();
    trainer = generateSigningKey(dir, 'trainer');
    stranger = generateSigningKey(dir, 'stranger');
    const policy = {
      policyId: 'signed-models',
      version: 1,
      models: ['prov-*'],
      baseline: { rule: 'none' },
      checks: [
        { id: 'auc-floor', kind: 'metric-threshold', metric: 'auc', bound: { min: 0.5 } },
        { id: 'server-signed', kind: 'artifact-signature', target: 'server', required: true },
      ],
      trustedSigners: [{ name: 'training-ci', publicKey: trainer.publicKeyPem }],
      reproduction: { metricTolerance: { auc: { absolute: 0.002 } } },
    };
    expect((await postJson(`${registry.gates.url}/v1/policies`, policy)).status).toBe(201);
  });

  afterAll(async () => {
    await registry?.stop();
  });

  it(
    'passes artifacts signed by a trusted key (a file and a directory tar) ' +
      'and fails tampered bytes, a wrong key and an untrusted signer, each with its reason',
    async () => {
      writeFileSync(join(dir, 'model.onnx'), 'weights v1');
      const file = await upload(readFileSync(join(dir, 'model.onnx')));
      const fileBundle = await signModel(join(dir, 'model.onnx'), trainer);
      const signed = await register('signed-file', file, { signature: fileBundle });

      const directory = await modelDirectory(dir, {
        'config.json': '{"layers":2}',
        'weights/layer0.bin': 'layer zero',
        'weights/layer1.bin': 'layer one',
      });
      const dirBundle = await signModel(directory.path, trainer);
      const signedDir = await register('signed-dir', await upload(directory.tar), { signature: dirBundle });

      const tampered = await register('tampered', await upload(Buffer.from('weights v1, patched')), { signature: fileBundle });
      const forged = structuredClone(await signModel(join(dir, 'model.onnx'), stranger));
      forged['verificationMaterial'].publicKey.hint = keyIdOf(trainer);
      const wrongKey = await register('wrong-key', file, { signature: forged });
      const untrusted = await register('untrusted', file, { signature: await signModel(join(dir, 'model.onnx'), stranger) });
      const unsigned = await register('unsigned', await upload(Buffer.from('unsigned weights')));

      expect(await signatureCheck(signed)).toMatchObject({
        outcome: 'PASSED',
        reason: null,
        explanation: expect.stringContaining(`signed by training-ci (key ${keyIdOf(trainer)})`),
      });
      expect(await signatureCheck(signedDir)).toMatchObject({
        outcome: 'PASSED',
        explanation: expect.stringContaining('signed by training-ci'),
      });
      expect(await signatureCheck(tampered)).toMatchObject({
        outcome: 'FAILED',
        reason: 'digest-mismatch',
        explanation: expect.stringContaining(`the signed file has sha256 ${file.sha256}`),
      });
      expect(await signatureCheck(wrongKey)).toMatchObject({
        outcome: 'FAILED',
        reason: 'bad-signature',
        explanation: expect.stringContaining('names the key of training-ci'),
      });
      expect(await signatureCheck(untrusted)).toMatchObject({
        outcome: 'FAILED',
        reason: 'untrusted-signer',
        explanation: expect.stringContaining(`signed by key ${keyIdOf(stranger)}`),
      });
      expect(await signatureCheck(unsigned)).toMatchObject({ outcome: 'FAILED', reason: 'unsigned' });
      expect((await decision(signed)).verdict).toBe('PASSED');
      expect((await decision(untrusted)).verdict).toBe('FAILED');

      // RunRegistered records the bundle, the signer's key id and whether the bytes are the signed ones.
      const version = (await getJson(`${registry.projections.url}/v1/models/${MODEL}/versions/${signedDir}`)).body;
      expect(version.artifacts[0].signature).toMatchObject({
        keyId: keyIdOf(trainer),
        manifest: 'directory',
        integrity: 'match',
        reason: null,
      });
      const tamperedVersion = (await getJson(`${registry.projections.url}/v1/models/${MODEL}/versions/${tampered}`)).body;
      expect(tamperedVersion.artifacts[0].signature).toMatchObject({ manifest: 'file', integrity: 'mismatch' });

      // A directory tar with one file changed no longer matches the signed manifest.
      const changed = await modelDirectory(workDir(), {
        'config.json': '{"layers":3}',
        'weights/layer0.bin': 'layer zero',
        'weights/layer1.bin': 'layer one',
      });
      const changedDir = await register('changed-dir', await upload(changed.tar), { signature: dirBundle });
      expect(await signatureCheck(changedDir)).toMatchObject({
        outcome: 'FAILED',
        reason: 'digest-mismatch',
        explanation: expect.stringContaining('config.json differs from the signed file'),
      });
    },
  );

  it('records reproductions as exact, within tolerance or diverged, with the differences, and shows them on both versions', async () => {
    const original = await register('original', await upload(Buffer.from('deterministic weights')), { auc: 0.9 });
    const exact = await register('repro-exact', await upload(Buffer.from('deterministic weights')), { reproductionOf: original, auc: 0.9 });
    const close = await register('repro-close', await upload(Buffer.from('nondeterministic weights')), {
      reproductionOf: original,
      auc: 0.9015,
    });
    const diverged = await register('repro-diverged', await upload(Buffer.from('other weights')), { reproductionOf: original, auc: 0.89 });
    const unknown = await registerRun(registry.ingestion.url, {
      ...exampleRunSubmissionJson(MODEL, 'repro-of-nothing', 'a'.repeat(64), 1),
      reproductionOf: 999,
    });
    expect(unknown.status).toBe(422);

    const status = await eventually(
      () => getJson(`${registry.projections.url}/v1/models/${MODEL}/versions/${original}/reproductions`),
      (r) => r.body.reproducedBy?.length === 3,
      { what: 'three reproductions projected', timeoutMs: 60_000 },
    );
    const byVersion = Object.fromEntries(status.body.reproducedBy.map((r: any) => [r.modelVersion, r]));
    expect(byVersion[exact]).toMatchObject({
      outcome: 'EXACT',
      reproducedVersion: original,
      differences: [],
      policy: { policyId: 'signed-models', policyVersion: 1 },
    });
    expect(byVersion[close]).toMatchObject({ outcome: 'WITHIN_TOLERANCE' });
    expect(byVersion[close].differences).toEqual([
      expect.stringContaining("the server artifact's bytes differ"),
      'auc 0.9015 vs 0.9: difference 0.0015, within the allowed <= 0.002',
    ]);
    expect(byVersion[diverged]).toMatchObject({ outcome: 'DIVERGED' });
    expect(byVersion[diverged].differences[0]).toBe('auc 0.89 vs 0.9: difference 0.01, beyond the allowed <= 0.002');
    expect(byVersion[diverged].metrics.find((m: any) => m.metric === 'auc')).toMatchObject({
      original: 0.9,
      reproduced: 0.89,
      outcome: 'DIVERGED',
    });
    const own = (await getJson(`${registry.projections.url}/v1/models/${MODEL}/versions/${exact}/reproductions`)).body;
    expect(own.reproduces).toEqual([expect.objectContaining({ reproducedVersion: original, outcome: 'EXACT' })]);
    expect((await getJson(`${registry.projections.url}/v1/models/${MODEL}/versions/${exact}`)).body.reproductionOf).toBe(original);
  });

  it('downloads an audit bundle that verifies offline with one command, and refuses it once altered', async () => {
    writeFileSync(join(dir, 'audited.onnx'), 'audited weights');
    const artifact = await upload(readFileSync(join(dir, 'audited.onnx')));
    const version = await register('audited', artifact, { signature: await signModel(join(dir, 'audited.onnx'), trainer) });
    await decision(version);
    const file = join(dir, 'bundle.json');
    const download = await modelreg('audit', 'bundle', MODEL, String(version), '--out', file);
    expect(download.stderr).toBe('');
    expect(download.stdout).toMatch(/wrote .*bundle\.json: 2 events, 1 policy document\(s\), 1 artifact\(s\)/);
    const bundle = JSON.parse(readFileSync(file, 'utf8'));
    expect(bundle).toMatchObject({ format: 'modelreg.audit-bundle/v1', modelName: MODEL, modelVersion: version });
    expect(bundle.events.map((e: any) => e.eventType)).toEqual(['RunRegistered', 'GateEvaluated']);
    expect(bundle.policies[0]).toMatchObject({
      policyId: 'signed-models',
      policyVersion: 1,
      source: 'log',
      event: { eventType: 'GatePolicyPublished' },
    });

    const keyring = join(registry.environment.env['EVENT_KEYS_DIR'] as string, 'keyring.json');
    const verified = await modelreg('audit', 'verify-bundle', file, '--keyring', keyring);
    expect(verified.stdout).toContain('verified: signed by training-ci');
    expect(verified.stdout).toContain('ok   proofs: event signatures hold for the 2 events');
    expect(verified.stdout.trim().split('\n').at(-1)).toBe('verified');
    expect(verified.status).toBe(0);
    // Keys the registry never used: no event's seal holds under them.
    const strangers = join(dir, 'stranger-keys');
    writeEventKeyDirectory(strangers);
    const untrusted = await modelreg('audit', 'verify-bundle', file, '--keyring', join(strangers, 'keyring.json'));
    expect(untrusted.status).toBe(1);
    expect(untrusted.stdout).toMatch(/FAIL proofs: RunRegistered \S+ at \S+: not signed by a key trusted for the lineage topic/);

    const alter = async (name: string, change: (b: any) => void) => {
      const copy = structuredClone(bundle);
      change(copy);
      const path = join(dir, `${name}.json`);
      writeFileSync(path, JSON.stringify(copy));
      return modelreg('audit', 'verify-bundle', path, '--keyring', keyring);
    };
    const swappedArtifact = await alter('swapped-artifact', (b) => (b.artifacts[0].sha256 = 'f'.repeat(64)));
    expect(swappedArtifact.status).toBe(1);
    expect(swappedArtifact.stdout).toContain('FAIL artifacts: the artifacts listed are not those registered');
    expect(swappedArtifact.stdout).toContain('they disagree');
    const laxerPolicy = await alter(
      'laxer-policy',
      (b) => (b.policies[0].document = b.policies[0].document.replace('"min":0.5', '"min":0.1')),
    );
    expect(laxerPolicy.status).toBe(1);
    expect(laxerPolicy.stdout).toMatch(/FAIL policies: policy signed-models v1: its document hashes to [0-9a-f]{64}, not/);
    const rewritten = await alter('rewritten-event', (b) => (b.events[1].event.verdict = 'FAILED'));
    expect(rewritten.stdout).toContain('the event shown is not what its bytes hold');
    const reordered = await alter('reordered', (b) => b.events.reverse());
    expect(reordered.stdout).toContain("FAIL order: the first event is not the version's RunRegistered");
  });
});
