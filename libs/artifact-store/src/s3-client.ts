import { HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';

export interface S3Settings {
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  bucket: string;
}

/** The object store is unreachable or failing; retrying later can help. */
export class ObjectStoreUnavailableError extends Error {
  readonly retriable = true;
  readonly dependency = 's3';
  constructor(message: string, cause?: unknown) {
    super(message, { cause });
    this.name = 'ObjectStoreUnavailableError';
  }
}

/**
 * Path-style addressing works with AWS S3, MinIO, Ceph and s3rver alike. Checksums only when
 * the operation requires them: newer SDKs otherwise send aws-chunked bodies with trailing
 * checksums, which several S3-compatible servers store verbatim.
 */
export function createS3Client(settings: S3Settings): S3Client {
  return new S3Client({
    endpoint: settings.endpoint,
    region: settings.region,
    forcePathStyle: true,
    credentials: settings.accessKeyId ? { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey } : undefined,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 3,
  });
}

export async function pingBucket(client: S3Client, bucket: string): Promise<void> {
  try {
    await client.send(new HeadBucketCommand({ Bucket: bucket }));
  } catch (error) {
    throw new ObjectStoreUnavailableError(`bucket ${bucket} unreachable: ${(error as Error).name} ${(error as Error).message}`, error);
  }
}
