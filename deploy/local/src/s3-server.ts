import { spawn } from 'node:child_process';
import { mkdirSync, openSync } from 'node:fs';
import { unlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { LOCAL_DIR, REPO_ROOT } from './stack-layout';
import S3rver from 's3rver';
import { isPortOpen, waitUntil } from './processes';
import { multipartUploadOperations } from './s3-multipart-extension';

/** s3rver accepts these fixed credentials. */
export const LOCAL_S3_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

export async function startS3(port: number, bucket: string, log: (line: string) => void): Promise<number> {
  const dir = resolve(LOCAL_DIR, 's3');
  mkdirSync(join(dir, 'data'), { recursive: true });
  const out = openSync(join(dir, 's3.log'), 'a');
  const child = spawn(
    process.execPath,
    [resolve(REPO_ROOT, 'tools/run.js'), resolve(__dirname, 's3-server.main.ts'), String(port), join(dir, 'data'), bucket],
    {
      detached: true,
      stdio: ['ignore', out, out],
      cwd: REPO_ROOT,
    },
  );
  child.unref();
  await waitUntil(`s3 on 127.0.0.1:${port}`, () => isPortOpen(port), 30_000);
  log(`s3 (s3rver) started (pid ${child.pid}), objects in ${join(dir, 'data')}`);
  return child.pid as number;
}

/** s3rver in this process, with the multipart operations it lacks; stop it with `close()`. */
export async function runLocalS3(options: { port: number; directory: string; buckets: string[] }): Promise<S3rver> {
  const server = new S3rver({
    port: options.port,
    address: '127.0.0.1',
    directory: options.directory,
    silent: true,
    configureBuckets: options.buckets.map((name) => ({ name, configs: [] })),
  });
  server.middleware.unshift(multipartUploadOperations(options.directory));
  keepFoldersOnDelete(server);
  await server.run();
  return server;
}

/**
 * s3rver removes the folders a delete leaves empty, while a concurrent PUT into the same folder
 * (`uploads/`, where every upload starts) may be between creating it and opening its file: that
 * open fails with ENOENT on an unhandled stream error and the whole server exits. Deletes here
 * remove the object's files only; an empty folder lists as nothing.
 */
function keepFoldersOnDelete(server: S3rver): void {
  const { store } = server;
  store.deleteObject = async (bucket, key) => {
    const files = ['object', 'object.md5', 'metadata.json'].map((resource) => store.getResourcePath(bucket, key, resource));
    await Promise.all(
      files.map((file) =>
        unlink(file).catch((error: NodeJS.ErrnoException) => {
          if (error.code !== 'ENOENT') throw error;
        }),
      ),
    );
  };
}
