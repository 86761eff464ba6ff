export { toParsingCanonicalForm, InvalidSchemaError } from './canonical-form';
export type { AvroSchemaJson } from './canonical-form';
export { rabinFingerprint64, schemaFingerprint, fingerprintBytes } from './rabin-fingerprint';
