import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { LOCAL_S3_CREDENTIALS, postgresUrl, runLocalS3, startPostgres, stopPostgres } from '@modelreg/local-stack';
import { freePort } from './service-process';

/** A Postgres of a test's own, which it may stop and start (never the shared one). */
export interface PrivatePostgres {
  url: string;
  start(): Promise<void>;
  stop(): void;
  /** Stops it and removes its data. */
  dispose(): void;
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const name = `pg-${randomBytes(4).toString('hex')}`;
  const port = await freePort();
  let dataDir = '';
  const start = async () => {
    dataDir = (await startPostgres(port, () => undefined, name)).dataDir;
  };
  await start();
  const stop = () => stopPostgres(name);
  return {
    url: postgresUrl(port),
    start,
    stop,
    dispose: () => {
      stop();
      rmSync(dirname(dirname(dataDir)), { recursive: true, force: true });
    },
  };
}

/** An S3-compatible server (s3rver) of a test's own, in this process, which it may stop and start. */
export interface PrivateS3 {
  /** S3_* settings for a service. */
  env: Record<string, string>;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Stops it and removes its data. */
  dispose(): Promise<void>;
}

export async function startPrivateS3(bucket: string): Promise<PrivateS3> {
  const port = await freePort();
  const directory = mkdtempSync(join(tmpdir(), 'modelreg-private-s3-'));
  let server: Awaited<ReturnType<typeof runLocalS3>> | null = null;
  const start = async () => {
    server = await runLocalS3({ port, directory, buckets: [bucket] });
  };
  const stop = async () => {
    await server?.close();
    server = null;
  };
  await start();
  return {
    env: { S3_ENDPOINT: `http://127.0.0.1:${port}`, S3_REGION: 'us-east-1', S3_ACCESS_KEY_ID: LOCAL_S3_CREDENTIALS.accessKeyId, S3_SECRET_ACCESS_KEY: LOCAL_S3_CREDENTIALS.secretAccessKey, S3_BUCKET: bucket },
    start,
    stop,
    dispose: async () => {
      await stop();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
