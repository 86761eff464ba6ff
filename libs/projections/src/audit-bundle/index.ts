export { AUDIT_BUNDLE_FORMAT } from './audit-bundle';
export type { AuditBundle, AuditBundleEvent, AuditBundlePolicy, AuditBundleArtifact } from './audit-bundle';
export { verifyAuditBundle } from './verify-audit-bundle';
export type { BundleFinding, BundleVerification, EventProofVerifier, RawEventDecoder } from './verify-audit-bundle';
