import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeEventKeyDirectory } from '@modelreg/events';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { Client } from 'pg';
import { Kafka, logLevel } from 'kafkajs';
import { stackConnection } from './stack-connection';
import { TestEventSealer } from './test-event-sealer';

/**
 * An isolated slice of the real local stack for one test file: its own Kafka topic prefix,
 * its own Postgres database, its own bucket and its own event signing keys (EVENT_KEYS_DIR), so
 * test files never see each other's data.
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
  const id = `t${randomBytes(4).toString('hex')}-${label.toLowerCase().replace(/[^a-z0-9]+/g, '-').slice(0, 20)}`;
  const databaseName = id.replace(/-/g, '_');
  const admin = new Client({ connectionString: stack['DATABASE_URL'] });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${databaseName}`);
  await admin.end();
  const databaseUrl = withDatabase(stack['DATABASE_URL'] as string, databaseName);
  const bucket = id;
  const s3 = new S3Client({
    endpoint: stack['S3_ENDPOINT'],
    region: stack['S3_REGION'] ?? 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: stack['S3_ACCESS_KEY_ID'] ?? '', secretAccessKey: stack['S3_SECRET_ACCESS_KEY'] ?? '' },
  });
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  s3.destroy();
  const keysDir = mkdtempSync(join(tmpdir(), `${id}-keys-`));
  writeEventKeyDirectory(keysDir);
  const env: Record<string, string> = { ...stack, DATABASE_URL: databaseUrl, TOPIC_PREFIX: id, S3_BUCKET: bucket, LOG_LEVEL: 'warn', EVENT_KEYS_DIR: keysDir };
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
      await deleteTopicsWithPrefix(stack['KAFKA_BROKERS'] as string, `${id}.`);
    },
  };
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** Test topics are throwaway (unlike the registry's, which keep everything): they go with the environment. */
async function deleteTopicsWithPrefix(brokers: string, prefix: string): Promise<void> {
  const admin = new Kafka({ clientId: 'test-cleanup', brokers: brokers.split(','), logLevel: logLevel.NOTHING }).admin();
  try {
    await admin.connect();
    const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(prefix));
    if (topics.length > 0) await admin.deleteTopics({ topics, timeout: 30_000 });
  } catch {
    // Cleanup is best effort: a leftover topic holds test data only.
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}
