import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeEventKeyDirectory } from '@modelreg/events';
import {
  AbortMultipartUploadCommand,
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';
import { Client } from 'pg';
import { runScript } from './private-servers';
import { stackConnection } from './stack-connection';
import { testIssuer } from './test-issuer';
import { TestEventSealer } from './test-event-sealer';

/**
 * An isolated slice of the real local stack for one test file: its own Kafka topic prefix,
 * its own Postgres database, its own bucket and its own event signing keys (EVENT_KEYS_DIR), so
 * test files never see each other's data. Its services trust the test issuer (see
 * test-issuer.ts): call them with `bearer(role)`.
 */
export interface TestEnvironment {
  id: string;
  env: Record<string, string>;
  databaseUrl: string;
  /** Seals events a test appends straight to a signed topic, with this environment's keys. */
  sealer: TestEventSealer;
  dispose(): Promise<void>;
}

export async function createTestEnvironment(label: string): Promise<TestEnvironment> {
  const stack = stackConnection();
  const slug = label
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, 20);
  const id = `t${randomBytes(4).toString('hex')}-${slug}`;
  const databaseName = id.replace(/-/g, '_');
  const admin = new Client({ connectionString: stack['DATABASE_URL'] });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${databaseName}`);
  await admin.end();
  const databaseUrl = withDatabase(stack['DATABASE_URL'] as string, databaseName);
  const bucket = id;
  const s3 = stackS3(stack);
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  s3.destroy();
  // Topics (and, where the broker authenticates, ACLs) before any service of the test starts.
  await runScript('kafka-slice.main.ts', ['provision', id], stack);
  const issuer = await testIssuer();
  const keysDir = mkdtempSync(join(tmpdir(), `${id}-keys-`));
  writeEventKeyDirectory(keysDir);
  const env: Record<string, string> = {
    ...stack,
    ...issuer.env,
    DATABASE_URL: databaseUrl,
    TOPIC_PREFIX: id,
    S3_BUCKET: bucket,
    LOG_LEVEL: 'warn',
    EVENT_KEYS_DIR: keysDir,
  };
  return {
    id,
    env,
    databaseUrl,
    sealer: new TestEventSealer(keysDir),
    dispose: async () => {
      rmSync(keysDir, { recursive: true, force: true });
      const cleanup = new Client({ connectionString: stack['DATABASE_URL'] });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`).catch(() => undefined);
      await cleanup.end();
      // Best effort: a leftover topic or bucket holds test data only (but buckets of upload tests hold gigabytes).
      await runScript('kafka-slice.main.ts', ['dispose', id], stack).catch(() => undefined);
      const cleanupS3 = stackS3(stack);
      await removeBucket(cleanupS3, bucket).catch(() => undefined);
      cleanupS3.destroy();
    },
  };
}

/** A client of the stack's S3 (path-style, the stack's credentials). */
export function stackS3(stack: Record<string, string>): S3Client {
  return new S3Client({
    endpoint: stack['S3_ENDPOINT'],
    region: stack['S3_REGION'] ?? 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: stack['S3_ACCESS_KEY_ID'] ?? '', secretAccessKey: stack['S3_SECRET_ACCESS_KEY'] ?? '' },
  });
}

/** Empties a bucket (its objects and incomplete multipart uploads, page by page) and deletes it. */
async function removeBucket(s3: S3Client, bucket: string): Promise<void> {
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
    const keys = (page.Contents ?? []).map((object) => object.Key as string);
    for (let start = 0; start < keys.length; start += 16)
      await Promise.all(keys.slice(start, start + 16).map((Key) => s3.send(new DeleteObjectCommand({ Bucket: bucket, Key }))));
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  let keyMarker: string | undefined;
  let uploadIdMarker: string | undefined;
  do {
    const page = await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket, KeyMarker: keyMarker, UploadIdMarker: uploadIdMarker }));
    for (const upload of page.Uploads ?? [])
      await s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: upload.Key, UploadId: upload.UploadId }));
    [keyMarker, uploadIdMarker] = page.IsTruncated ? [page.NextKeyMarker, page.NextUploadIdMarker] : [undefined, undefined];
  } while (keyMarker);
  await s3.send(new DeleteBucketCommand({ Bucket: bucket }));
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
