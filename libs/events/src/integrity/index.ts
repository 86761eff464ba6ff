export { eventHash, sealEvent, signatureHolds, signedBytes, withoutSeal, type SigningKey } from './event-seal';
export { believedRecord, checkChainedRun, checkEvent, type EventCheck, type StreamRecord } from './check-event';
export { Keyring, parseKeyring, SIGNED_TOPIC_OF_SERVICE, SIGNED_TOPICS, type KeyringEntry, type SigningService } from './keyring';
export { KEYRING_FILE, privateKeyFile, readKeyring, readSigningKey, writeEventKeyDirectory } from './key-directory';
export { signedTopicRole, verifyAuditTrail, type AuditBreak, type AuditRecord, type AuditVerification } from './verify-audit-trail';
