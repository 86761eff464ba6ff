export { createS3Client, pingBucket, ObjectStoreUnavailableError } from './s3-client';
export type { S3Settings } from './s3-client';
export { ContentAddressedStore, ArtifactMismatchError } from './content-addressed-store';
export type { StoredArtifact, SweepResult } from './content-addressed-store';
