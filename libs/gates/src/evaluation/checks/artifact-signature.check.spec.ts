import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { recordArtifactSignature } from '@modelreg/lineage';
import { candidateSubject } from '../../gate-fixtures';
import { DEFAULT_POLICY } from '../../policy/default-policy';
import type { GatePolicy } from '../../policy/gate-policy';
import { validatePolicy } from '../../policy/validate-policy';
import { evaluateGate } from '../evaluate-gate';

// Bundles made by the real model-signing tool (libs/lineage/src/signing/__fixtures__/regenerate.py).
const fixture = (name: string) => readFileSync(join(__dirname, '../../../../lineage/src/signing/__fixtures__', name));
const modelSha = createHash('sha256').update(fixture('model.bin')).digest('hex');
const bundle = JSON.parse(fixture('model.bin.sig').toString('utf8')) as Record<string, unknown>;
const trainer = { name: 'training-ci', publicKey: fixture('trainer.pub.pem').toString('utf8') };
const other = { name: 'contractor', publicKey: fixture('other.pub.pem').toString('utf8') };

const policy = (required: boolean, trustedSigners = [trainer]): GatePolicy => ({
  ...DEFAULT_POLICY,
  trustedSigners,
  checks: [{ id: 'server-signed', kind: 'artifact-signature', target: 'server', required }],
});
const candidate = (sha256: string, signed: boolean) =>
  candidateSubject({
    artifacts: [
      {
        target: 'server',
        format: 'ONNX',
        sizeBytes: 29,
        sha256,
        storageUri: 's3://b/x',
        signature: signed ? recordArtifactSignature(bundle, sha256, null) : null,
      },
    ],
  });
const only = (result: ReturnType<typeof evaluateGate>) => result.checks[0];

describe('artifact-signature check', () => {
  it('passes bytes signed by a trusted signer, naming the signer in the decision', () => {
    const check = only(evaluateGate(candidate(modelSha, true), null, policy(true)));
    expect(check).toMatchObject({ outcome: 'PASSED', reason: null, target: 'server', kind: 'artifact-signature' });
    expect(check?.explanation).toContain('signed by training-ci (key ');
  });

  it('fails tampered bytes, an untrusted signer and a required signature that is absent, each with its reason', () => {
    const tampered = createHash('sha256').update('other bytes').digest('hex');
    expect(only(evaluateGate(candidate(tampered, true), null, policy(true)))).toMatchObject({
      outcome: 'FAILED',
      reason: 'digest-mismatch',
    });
    expect(only(evaluateGate(candidate(modelSha, true), null, policy(true, [other])))).toMatchObject({
      outcome: 'FAILED',
      reason: 'untrusted-signer',
    });
    expect(only(evaluateGate(candidate(modelSha, false), null, policy(true)))).toMatchObject({ outcome: 'FAILED', reason: 'unsigned' });
    expect(evaluateGate(candidate(modelSha, false), null, policy(true)).verdict).toBe('FAILED');
  });

  it('skips an unsigned artifact when the signature is optional, and still fails a bad one', () => {
    expect(only(evaluateGate(candidate(modelSha, false), null, policy(false)))).toMatchObject({ outcome: 'SKIPPED', reason: 'unsigned' });
    expect(only(evaluateGate(candidate(modelSha, true), null, policy(false, [])))).toMatchObject({
      outcome: 'FAILED',
      reason: 'untrusted-signer',
    });
  });

  it('validates trusted signers and the check at publish time', () => {
    const document = {
      policyId: 'signed',
      version: 1,
      models: ['fraud-*'],
      checks: [{ id: 'signed', kind: 'artifact-signature', target: 'server' }],
      trustedSigners: [trainer],
    };
    const valid = validatePolicy(document);
    expect(valid.ok && valid.value.checks[0]).toEqual({ id: 'signed', kind: 'artifact-signature', target: 'server', required: true });
    expect(valid.ok && valid.value.trustedSigners).toEqual([trainer]);
    const invalid = validatePolicy({
      ...document,
      trustedSigners: [trainer, { name: 'training-ci', publicKey: 'not a key' }, { name: 'again', publicKey: trainer.publicKey }],
    });
    expect(invalid.ok ? [] : invalid.errors.map((error) => error.field)).toEqual([
      'trustedSigners[1].publicKey',
      'trustedSigners[1].name',
      'trustedSigners[2].publicKey',
    ]);
  });

  it('leaves documents without trusted signers as they were (same content, same hash)', () => {
    const valid = validatePolicy({
      policyId: 'plain',
      version: 1,
      checks: [{ id: 'auc', kind: 'metric-threshold', metric: 'auc', bound: { min: 0.5 } }],
    });
    expect(valid.ok && 'trustedSigners' in valid.value).toBe(false);
  });
});
