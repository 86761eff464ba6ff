import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  buildEnvelope,
  EventCodec,
  exampleRunRegistered,
  SchemaCatalog,
  type GateEvaluated,
  type GatePolicyPublished,
  type RegistryEvent,
} from '@modelreg/events';
import { recordArtifactSignature } from '@modelreg/lineage';
import { canonicalJson } from '@modelreg/validation';
import { AUDIT_BUNDLE_FORMAT, type AuditBundle, type AuditBundleEvent } from './audit-bundle';
import { verifyAuditBundle } from './verify-audit-bundle';

const codec = new EventCodec(SchemaCatalog.load());
const decode = (raw: Buffer) => codec.decode(raw);
// A bundle made by the real model-signing tool (libs/lineage/src/signing/__fixtures__/regenerate.py).
const fixture = (name: string) => readFileSync(join(__dirname, '../../../lineage/src/signing/__fixtures__', name));
const modelSha = createHash('sha256').update(fixture('model.bin')).digest('hex');
const trainerPem = fixture('trainer.pub.pem').toString('utf8');

function line(event: RegistryEvent, topic: string, partition: number, offset: number): AuditBundleEvent {
  const data = JSON.parse(JSON.stringify(event.data)) as { envelope: { eventId: string; occurredAt: number } };
  return {
    topic,
    partition,
    offset: String(offset),
    eventId: data.envelope.eventId,
    eventType: event.type,
    occurredAt: new Date(data.envelope.occurredAt).toISOString(),
    event: data,
    rawAvroBase64: codec.encode(event).toString('base64'),
    proofs: [],
  };
}

/** A signed v1, the policy that trusts its signer, and the decision that passed it: what the registry would bundle. */
function bundle(options: { decisionOutcome?: 'PASSED' | 'FAILED' } = {}): AuditBundle {
  const signature = recordArtifactSignature(JSON.parse(fixture('model.bin.sig').toString('utf8')), modelSha, null);
  const registered = exampleRunRegistered('fraud-model', 1, {
    artifacts: [
      { target: 'server', format: 'ONNX', sizeBytes: 29, sha256: modelSha, storageUri: `s3://b/artifacts/sha256/${modelSha}`, signature },
    ],
  });
  const document = canonicalJson({
    policyId: 'signed',
    version: 1,
    models: ['fraud-*'],
    checks: [{ id: 'signed', kind: 'artifact-signature', target: 'server', required: true }],
    trustedSigners: [{ name: 'training-ci', publicKey: trainerPem }],
  });
  const contentHash = createHash('sha256').update(document).digest('hex');
  const published: GatePolicyPublished = {
    envelope: buildEnvelope('GatePolicyPublished', {
      eventId: '00000000-0000-4000-8000-000000000001',
      occurredAt: 1,
      producer: 'gate-validator',
      correlationId: 'p',
      modelName: '@policy:signed',
    }),
    policyId: 'signed',
    policyVersion: 1,
    contentHash,
    modelPatterns: ['fraud-*'],
    document,
    publishedBy: null,
  };
  const check = {
    checkId: 'signed',
    kind: 'artifact-signature',
    metric: null,
    slice: null,
    group: null,
    target: 'server',
    observed: null,
    baseline: null,
    threshold: null,
    comparator: 'signed by a trusted signer',
    tolerance: 0,
    outcome: options.decisionOutcome ?? 'PASSED',
    reason: null,
    explanation: 'x',
  } as const;
  const decision: GateEvaluated = {
    envelope: buildEnvelope('GateEvaluated', {
      eventId: '00000000-0000-4000-8000-000000000002',
      occurredAt: 2,
      producer: 'gate-validator',
      correlationId: 'c',
      modelName: 'fraud-model',
      modelVersion: 1,
    }),
    modelName: 'fraud-model',
    candidateVersion: 1,
    baselineVersion: null,
    baselineRule: 'none',
    policy: { policyId: 'signed', policyVersion: 1, contentHash },
    trigger: 'RunRegistered',
    checks: [check],
    verdict: check.outcome,
    eligibleForDeployment: check.outcome === 'PASSED',
    baselines: [],
  };
  return {
    format: AUDIT_BUNDLE_FORMAT,
    modelName: 'fraud-model',
    modelVersion: 1,
    createdAt: new Date(3).toISOString(),
    events: [
      line({ type: 'RunRegistered', data: registered }, 'modelreg.lineage.v1', 0, 7),
      line({ type: 'GateEvaluated', data: decision }, 'modelreg.gates.v1', 0, 9),
    ],
    policies: [
      {
        policyId: 'signed',
        policyVersion: 1,
        contentHash,
        document,
        source: 'log',
        event: line({ type: 'GatePolicyPublished', data: published }, 'modelreg.gates.v1', 1, 0),
      },
    ],
    artifacts: [{ target: 'server', format: 'ONNX', sizeBytes: 29, sha256: modelSha, signature }],
  };
}
const failed = (result: ReturnType<typeof verifyAuditBundle>) =>
  result.findings.filter((finding) => !finding.ok).map((finding) => `${finding.check}: ${finding.message}`);

describe('verifyAuditBundle', () => {
  it('verifies a consistent bundle, re-verifying the signature the decision passed', () => {
    const result = verifyAuditBundle(bundle(), decode);
    expect(failed(result)).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.findings.find((finding) => finding.check === 'signatures')?.message).toContain('verified: signed by training-ci');
    expect(result.findings.find((finding) => finding.check === 'proofs')?.message).toContain('not checked');
  });

  it('refuses an event shown differently from its bytes, bytes of another event, and events out of order', () => {
    const rewritten = bundle();
    (rewritten.events[1]!.event as { verdict: string }).verdict = 'FAILED';
    expect(failed(verifyAuditBundle(rewritten, decode))).toEqual([
      expect.stringMatching(/^events: modelreg.gates.v1\/0@9 .*the event shown is not what its bytes hold$/),
    ]);
    const swapped = bundle();
    swapped.events[1]!.rawAvroBase64 = swapped.events[0]!.rawAvroBase64;
    expect(failed(verifyAuditBundle(swapped, decode)).join('\n')).toContain('its bytes are a RunRegistered');
    const reordered = bundle();
    reordered.events[1] = { ...reordered.events[1]!, topic: 'modelreg.lineage.v1', offset: '3' };
    expect(failed(verifyAuditBundle(reordered, decode))).toContain(
      'order: modelreg.lineage.v1/0@3 comes after offset 7 of the same partition',
    );
  });

  it('refuses a policy document that is not the one the decision hashed, or missing', () => {
    const laxer = bundle();
    laxer.policies[0]!.document = laxer.policies[0]!.document.replace('"required":true', '"required":false');
    expect(failed(verifyAuditBundle(laxer, decode)).join('\n')).toMatch(
      /policies: policy signed v1: its document hashes to [0-9a-f]{64}, not/,
    );
    const missing = bundle();
    missing.policies = [];
    expect(failed(verifyAuditBundle(missing, decode))).toEqual([expect.stringContaining('judged this version and is not in the bundle')]);
  });

  it('refuses artifacts other than those registered, and a decision its keys and bytes do not support', () => {
    const swapped = bundle();
    swapped.artifacts[0]!.sha256 = 'f'.repeat(64);
    expect(failed(verifyAuditBundle(swapped, decode))).toEqual([
      'artifacts: the artifacts listed are not those registered',
      expect.stringMatching(/^signatures: .*not verified \(digest-mismatch\).*the decision says PASSED — they disagree$/),
    ]);
    expect(failed(verifyAuditBundle(bundle({ decisionOutcome: 'FAILED' }), decode))).toEqual([
      expect.stringContaining('the decision says FAILED — they disagree'),
    ]);
    expect(verifyAuditBundle({ ...bundle(), format: 'other' as typeof AUDIT_BUNDLE_FORMAT }, decode).ok).toBe(false);
  });

  it('asks the event-proof verifier when there is one', () => {
    expect(failed(verifyAuditBundle(bundle(), decode, (events) => events.map((event) => `${event.eventId}: no signature`)))).toHaveLength(
      2,
    );
  });
});
