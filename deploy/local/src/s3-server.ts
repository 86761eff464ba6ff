import { spawn } from 'node:child_process';
import { mkdirSync, openSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { LOCAL_DIR, REPO_ROOT } from './stack-layout';
import { isPortOpen, waitUntil } from './processes';

/** s3rver accepts these fixed credentials. */
export const LOCAL_S3_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

/** Starts s3rver detached; `dir` holds its objects and log (default .local/s3). Returns its pid. */
export async function startS3(port: number, bucket: string, log: (line: string) => void, dir = resolve(LOCAL_DIR, 's3')): Promise<number> {
  mkdirSync(join(dir, 'data'), { recursive: true });
  const out = openSync(join(dir, 's3.log'), 'a');
  const child = spawn(process.execPath, [resolve(REPO_ROOT, 'tools/run.js'), resolve(__dirname, 's3-server.main.ts'), String(port), join(dir, 'data'), bucket], {
    detached: true,
    stdio: ['ignore', out, out],
    cwd: REPO_ROOT,
  });
  child.unref();
  await waitUntil(`s3 on 127.0.0.1:${port}`, () => isPortOpen(port), 30_000);
  log(`s3 (s3rver) started (pid ${child.pid}), objects in ${join(dir, 'data')}`);
  return child.pid as number;
}
