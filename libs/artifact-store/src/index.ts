export { createS3Client, pingBucket, ObjectStoreUnavailableError } from './s3-client';
export type { S3Settings } from './s3-client';
