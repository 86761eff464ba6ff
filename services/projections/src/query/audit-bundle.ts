import {
  policySubject,
  type EventCodec,
  type GateEvaluated,
  type GatePolicyPublished,
  type ReproductionRecorded,
  type RunRegistered,
} from '@modelreg/events';
import { DEFAULT_POLICY, policyContentHash } from '@modelreg/gates';
import type { Kafka } from '@modelreg/kafka';
import type { Pool } from '@modelreg/postgres';
import { AUDIT_BUNDLE_FORMAT, type AuditBundle, type AuditBundleEvent, type AuditBundlePolicy } from '@modelreg/projections';
import { canonicalJson } from '@modelreg/validation';
import { readIndexedEvents, type AuditLine } from './audit-export';

/**
 * The self-contained audit bundle of a version (`modelreg audit verify-bundle` checks it offline):
 * its events read back from the log with coordinates and bytes, the policy documents its decisions
 * and reproductions name, and its artifacts with their signature bundles. Null when no event
 * concerns the version.
 */
export async function buildAuditBundle(
  pool: Pool,
  kafka: Kafka,
  codec: EventCodec,
  modelName: string,
  modelVersion: number,
  now: Date,
): Promise<AuditBundle | null> {
  const events = (await readIndexedEvents(pool, kafka, codec, { modelName, modelVersion, eventType: null }, true)).map(bundleEvent);
  if (events.length === 0) return null;
  const registered = events.find((line) => line.eventType === 'RunRegistered')?.event as RunRegistered | undefined;
  const named = events
    .filter((line) => line.eventType === 'GateEvaluated' || line.eventType === 'ReproductionRecorded')
    .map((line) => (line.event as GateEvaluated | ReproductionRecorded).policy);
  const unique = [
    ...new Map(named.map((policy) => [`${policy.policyId}\u0000${policy.policyVersion}\u0000${policy.contentHash}`, policy])).values(),
  ];
  const policies = (await Promise.all(unique.map((policy) => policyDocument(pool, kafka, codec, policy)))).filter(
    (policy): policy is AuditBundlePolicy => policy !== null,
  );
  return {
    format: AUDIT_BUNDLE_FORMAT,
    modelName,
    modelVersion,
    createdAt: now.toISOString(),
    events,
    policies,
    artifacts: (registered?.artifacts ?? []).map(({ target, format, sizeBytes, sha256, signature }) => ({
      target,
      format,
      sizeBytes,
      sha256,
      signature: signature ?? null,
    })),
  };
}

function bundleEvent(line: AuditLine): AuditBundleEvent {
  return { ...line, rawAvroBase64: line.rawAvroBase64 ?? '', proofs: [] };
}

/** The named policy version: its GatePolicyPublished from the log, or the built-in default (never published). */
async function policyDocument(
  pool: Pool,
  kafka: Kafka,
  codec: EventCodec,
  reference: { policyId: string; policyVersion: number; contentHash: string },
): Promise<AuditBundlePolicy | null> {
  const builtIn = { ...reference, document: canonicalJson(DEFAULT_POLICY), source: 'built-in' as const, event: null };
  if (
    reference.policyId === DEFAULT_POLICY.policyId &&
    reference.policyVersion === DEFAULT_POLICY.version &&
    reference.contentHash === policyContentHash(DEFAULT_POLICY)
  )
    return builtIn;
  const published = await readIndexedEvents(
    pool,
    kafka,
    codec,
    { modelName: policySubject(reference.policyId), modelVersion: null, eventType: 'GatePolicyPublished' },
    true,
  );
  const line = published.find((candidate) => (candidate.event as GatePolicyPublished).policyVersion === reference.policyVersion);
  if (!line) return null;
  const event = line.event as GatePolicyPublished;
  return {
    policyId: event.policyId,
    policyVersion: event.policyVersion,
    contentHash: event.contentHash,
    document: event.document,
    source: 'log',
    event: bundleEvent(line),
  };
}
