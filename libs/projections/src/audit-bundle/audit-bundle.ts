import type { ArtifactSignature } from '@modelreg/events';

/** The format name and version every bundle carries; a verifier refuses formats it does not know. */
export const AUDIT_BUNDLE_FORMAT = 'modelreg.audit-bundle/v1';

/** One event as the log holds it: its coordinates, the decoded event and its exact bytes. */
export interface AuditBundleEvent {
  topic: string;
  partition: number;
  /** Kafka offset, a decimal string (64-bit). */
  offset: string;
  eventId: string;
  eventType: string;
  occurredAt: string;
  event: unknown;
  /** The record's value exactly as stored (Avro single-object encoding), base64. */
  rawAvroBase64: string;
  /**
   * Signatures and hash-chain proofs of this event, where the registry has them: filled by the
   * event-signing feature, verified by its verifier (see `EventProofVerifier`); empty until then.
   */
  proofs: unknown[];
}

/** A policy document that judged the version (a decision or a reproduction names it by id, version and hash). */
export interface AuditBundlePolicy {
  policyId: string;
  policyVersion: number;
  contentHash: string;
  /** The canonical JSON document whose sha256 is `contentHash`. */
  document: string;
  /** `log`: its GatePolicyPublished is in `event`; `built-in`: the registry's default, never published. */
  source: 'log' | 'built-in';
  event: AuditBundleEvent | null;
}

/** A registered artifact: its digest and, when signed, the signature bundle as registered. */
export interface AuditBundleArtifact {
  target: string;
  format: string;
  sizeBytes: number;
  sha256: string;
  signature: ArtifactSignature | null;
}

/**
 * Everything an auditor needs to check one version offline: every event about it read back from
 * the log (coordinates, bytes, decoded form), the policy documents that judged it, and its
 * artifacts with their signature bundles.
 */
export interface AuditBundle {
  format: typeof AUDIT_BUNDLE_FORMAT;
  modelName: string;
  modelVersion: number;
  createdAt: string;
  events: AuditBundleEvent[];
  policies: AuditBundlePolicy[];
  artifacts: AuditBundleArtifact[];
}
