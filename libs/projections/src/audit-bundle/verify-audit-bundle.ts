import { createHash } from 'node:crypto';
import type {
  ArtifactRecord,
  CheckResult,
  GateEvaluated,
  GatePolicyPublished,
  ReproductionRecorded,
  RunRegistered,
} from '@modelreg/events';
import { reverifyArtifactSignature, type TrustedSigner } from '@modelreg/lineage';
import { canonicalJson } from '@modelreg/validation';
import { AUDIT_BUNDLE_FORMAT, type AuditBundle, type AuditBundleEvent } from './audit-bundle';

/** Decodes an event's stored bytes with the schemas (the caller's codec); throws when they are not a known event. */
export type RawEventDecoder = (raw: Buffer) => { type: string; data: unknown };

/**
 * Verifies events' signatures (the CLI builds it from a keyring). Each
 * problem names the event; an empty list means every proof held.
 */
export type EventProofVerifier = (events: readonly AuditBundleEvent[]) => string[];

export interface BundleFinding {
  check: 'format' | 'events' | 'order' | 'policies' | 'artifacts' | 'signatures' | 'proofs';
  ok: boolean;
  message: string;
}

export interface BundleVerification {
  ok: boolean;
  findings: BundleFinding[];
}

/**
 * Checks an audit bundle without the registry: each event's bytes decode to the event shown, with
 * the id its line names and this version as subject; events of one partition are in offset order
 * and none repeats; every policy a decision or reproduction names is present and hashes to the
 * hash recorded; the artifacts are the registered ones; every signature bundle is re-verified
 * against the trusted signers of the policy that judged it, and agrees with the decision's
 * `artifact-signature` check. Event signatures and chains are `proofs`' (a finding says when no
 * verifier was given). Pure.
 */
export function verifyAuditBundle(
  bundle: AuditBundle,
  decode: RawEventDecoder,
  proofs: EventProofVerifier | null = null,
): BundleVerification {
  if (bundle.format !== AUDIT_BUNDLE_FORMAT)
    return {
      ok: false,
      findings: [
        { check: 'format', ok: false, message: `unknown format ${JSON.stringify(bundle.format)}; expected ${AUDIT_BUNDLE_FORMAT}` },
      ],
    };
  const findings: BundleFinding[] = [
    ...checkEvents(bundle, decode),
    ...checkOrder(bundle.events),
    ...checkPolicies(bundle, decode),
    ...checkArtifacts(bundle),
    ...checkSignatures(bundle),
    ...checkProofs(bundle, proofs),
  ];
  return { ok: findings.every((finding) => finding.ok), findings };
}

const events = <T>(bundle: AuditBundle, type: string) =>
  bundle.events.filter((line) => line.eventType === type).map((line) => line.event as T);

function checkEvents(bundle: AuditBundle, decode: RawEventDecoder): BundleFinding[] {
  const problems = bundle.events.flatMap((line) => eventProblems(line, decode, bundle));
  if (problems.length > 0) return problems.map((message) => ({ check: 'events', ok: false, message }));
  return [
    {
      check: 'events',
      ok: true,
      message:
        `${bundle.events.length} events: each one's stored bytes decode to the event shown, ` +
        `about ${bundle.modelName} v${bundle.modelVersion}`,
    },
  ];
}

function eventProblems(
  line: AuditBundleEvent,
  decode: RawEventDecoder,
  bundle: { modelName: string; modelVersion: number } | null,
): string[] {
  const where = `${line.topic}/${line.partition}@${line.offset} (${line.eventType} ${line.eventId})`;
  let decoded: { type: string; data: unknown };
  try {
    decoded = decode(Buffer.from(line.rawAvroBase64, 'base64'));
  } catch (error) {
    return [`${where}: its bytes do not decode: ${(error as Error).message}`];
  }
  const data = JSON.parse(JSON.stringify(decoded.data)) as {
    envelope: { eventId: string; subject: { modelName: string; modelVersion: number | null } };
  };
  const problems: string[] = [];
  if (decoded.type !== line.eventType) problems.push(`${where}: its bytes are a ${decoded.type}`);
  if (data.envelope.eventId !== line.eventId) problems.push(`${where}: its bytes are event ${data.envelope.eventId}`);
  if (canonicalJson(data) !== canonicalJson(line.event)) problems.push(`${where}: the event shown is not what its bytes hold`);
  if (bundle && (data.envelope.subject.modelName !== bundle.modelName || data.envelope.subject.modelVersion !== bundle.modelVersion))
    problems.push(`${where}: it is about ${data.envelope.subject.modelName} v${data.envelope.subject.modelVersion}, not this version`);
  return problems;
}

function checkOrder(lines: readonly AuditBundleEvent[]): BundleFinding[] {
  const problems: string[] = [];
  const last = new Map<string, bigint>();
  const seen = new Set<string>();
  for (const line of lines) {
    const partition = `${line.topic}/${line.partition}`;
    const offset = BigInt(line.offset);
    const previous = last.get(partition);
    if (previous !== undefined && offset <= previous)
      problems.push(`${partition}@${line.offset} comes after offset ${previous} of the same partition`);
    last.set(partition, offset);
    if (seen.has(line.eventId)) problems.push(`event ${line.eventId} appears twice`);
    seen.add(line.eventId);
  }
  if (lines[0]?.eventType !== 'RunRegistered') problems.push("the first event is not the version's RunRegistered");
  if (problems.length > 0) return problems.map((message) => ({ check: 'order', ok: false, message }));
  return [
    {
      check: 'order',
      ok: true,
      message: `events in log order: offsets increase within each of ${last.size} partition(s), no event twice, registration first`,
    },
  ];
}

function checkPolicies(bundle: AuditBundle, decode: RawEventDecoder): BundleFinding[] {
  const named = [...events<GateEvaluated>(bundle, 'GateEvaluated'), ...events<ReproductionRecorded>(bundle, 'ReproductionRecorded')].map(
    (event) => event.policy,
  );
  const findings: BundleFinding[] = [];
  for (const policy of bundle.policies) {
    const hash = createHash('sha256').update(policy.document, 'utf8').digest('hex');
    const id = `${policy.policyId} v${policy.policyVersion}`;
    if (hash !== policy.contentHash)
      findings.push({ check: 'policies', ok: false, message: `policy ${id}: its document hashes to ${hash}, not ${policy.contentHash}` });
    if (policy.source === 'log') {
      const published = policy.event?.event as GatePolicyPublished | undefined;
      const problems = policy.event ? eventProblems(policy.event, decode, null) : ['its GatePolicyPublished is missing'];
      if (published && (published.document !== policy.document || published.contentHash !== policy.contentHash))
        problems.push('its GatePolicyPublished holds another document');
      findings.push(...problems.map((message) => ({ check: 'policies' as const, ok: false, message: `policy ${id}: ${message}` })));
    }
  }
  for (const reference of named) {
    const found = bundle.policies.find(
      (policy) =>
        policy.policyId === reference.policyId &&
        policy.policyVersion === reference.policyVersion &&
        policy.contentHash === reference.contentHash,
    );
    if (!found)
      findings.push({
        check: 'policies',
        ok: false,
        message:
          `policy ${reference.policyId} v${reference.policyVersion} (${reference.contentHash}) ` +
          'judged this version and is not in the bundle',
      });
  }
  if (findings.length > 0) return findings;
  return [
    {
      check: 'policies',
      ok: true,
      message: `${bundle.policies.length} policy document(s): each hashes to the hash its decisions recorded`,
    },
  ];
}

function checkArtifacts(bundle: AuditBundle): BundleFinding[] {
  const registered = events<RunRegistered>(bundle, 'RunRegistered')[0];
  if (!registered) return [{ check: 'artifacts', ok: false, message: 'no RunRegistered: the registered artifacts cannot be checked' }];
  const expected = canonicalJson(
    registered.artifacts.map(({ storageUri: _uri, ...artifact }) => ({ ...artifact, signature: artifact.signature ?? null })),
  );
  const listed = canonicalJson(bundle.artifacts);
  if (expected !== listed) return [{ check: 'artifacts', ok: false, message: 'the artifacts listed are not those registered' }];
  return [
    {
      check: 'artifacts',
      ok: true,
      message:
        `${bundle.artifacts.length} artifact(s), as registered: ` +
        `${bundle.artifacts.map((artifact) => `${artifact.target} ${artifact.sha256}`).join(', ')}`,
    },
  ];
}

/** Each decision's artifact-signature checks re-done from the bundle: the verdict must be the same. */
function checkSignatures(bundle: AuditBundle): BundleFinding[] {
  const findings: BundleFinding[] = [];
  for (const decision of events<GateEvaluated>(bundle, 'GateEvaluated')) {
    const policy = bundle.policies.find((candidate) => candidate.contentHash === decision.policy.contentHash);
    if (!policy) continue;
    const trusted = (JSON.parse(policy.document) as { trustedSigners?: TrustedSigner[] }).trustedSigners ?? [];
    for (const check of decision.checks.filter((candidate) => candidate.kind === 'artifact-signature')) {
      const artifact = bundle.artifacts.find((candidate) => candidate.target === check.target);
      findings.push(signatureFinding(check, artifact, trusted, decision));
    }
  }
  const signed = bundle.artifacts.filter((artifact) => artifact.signature).length;
  if (findings.length === 0)
    return [{ check: 'signatures', ok: true, message: `${signed} signed artifact(s); no decision checked a signature` }];
  return findings;
}

function signatureFinding(
  check: CheckResult,
  artifact: Omit<ArtifactRecord, 'storageUri'> | undefined,
  trusted: readonly TrustedSigner[],
  decision: GateEvaluated,
): BundleFinding {
  const where = `decision ${decision.envelope.eventId} check ${check.checkId} (${check.target})`;
  if (!artifact)
    return {
      check: 'signatures',
      ok: check.outcome !== 'PASSED',
      message: `${where}: no such artifact; the decision says ${check.outcome}`,
    };
  const verdict = artifact.signature ? reverifyArtifactSignature(artifact.signature, artifact.sha256, trusted) : null;
  const passed = verdict?.verified === true;
  const agrees = passed === (check.outcome === 'PASSED');
  const recomputed = verdict
    ? verdict.verified
      ? `verified: ${verdict.explanation}`
      : `not verified (${verdict.reason}): ${verdict.explanation}`
    : 'unsigned';
  return {
    check: 'signatures',
    ok: agrees,
    message: `${where}: ${recomputed}; the decision says ${check.outcome}${agrees ? '' : ' — they disagree'}`,
  };
}

function checkProofs(bundle: AuditBundle, proofs: EventProofVerifier | null): BundleFinding[] {
  if (!proofs) return [{ check: 'proofs', ok: true, message: 'event signatures: not checked (no keyring given)' }];
  const problems = proofs(bundle.events);
  if (problems.length > 0) return problems.map((message) => ({ check: 'proofs', ok: false, message }));
  return [
    {
      check: 'proofs',
      ok: true,
      message: `event signatures hold for the ${bundle.events.length} events (chains: modelreg audit verify on the model's export)`,
    },
  ];
}
