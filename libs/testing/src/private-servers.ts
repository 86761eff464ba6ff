import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { eventually } from './eventually';
import { freePort } from './service-process';
import { REPO_ROOT } from './stack-connection';

/** s3rver accepts these fixed credentials. */
const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

/** A Postgres of a test's own, which it may stop and start (never the shared one). */
export interface PrivatePostgres {
  url: string;
  start(): Promise<void>;
  /** `immediate`: no checkpoint, as a crash; the next start recovers from the WAL. */
  stop(mode?: 'fast' | 'immediate'): Promise<void>;
  /** Stops it and removes its data. */
  dispose(): Promise<void>;
}

/** Started from the stack's own scripts (deploy/local), as separate processes, like the stack's servers. */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const name = `pg-${randomBytes(4).toString('hex')}`;
  const port = await freePort();
  let started = { url: '', dataDir: '' };
  const start = async () => {
    started = JSON.parse(await runScript('postgres-server.main.ts', ['start', String(port), name])) as typeof started;
  };
  const stop = async (mode: 'fast' | 'immediate' = 'fast') => {
    await runScript('postgres-server.main.ts', ['stop', name, mode]);
  };
  await start();
  return {
    url: started.url,
    start,
    stop,
    dispose: async () => {
      await stop();
      rmSync(dirname(dirname(started.dataDir)), { recursive: true, force: true });
    },
  };
}

/** An S3-compatible server (s3rver, as the stack runs it) of a test's own, which it may stop and start. */
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
  let server: ChildProcess | null = null;
  const start = async () => {
    server = spawn(
      process.execPath,
      [resolve(REPO_ROOT, 'tools/run.js'), resolve(REPO_ROOT, 'deploy/local/src/s3-server.main.ts'), String(port), directory, bucket],
      { cwd: REPO_ROOT, stdio: 'ignore' },
    );
    await eventually(
      () => isPortOpen(port),
      (open) => open,
      { timeoutMs: 30_000, what: `private s3 on port ${port}` },
    );
  };
  const stop = async () => {
    const running = server;
    server = null;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((resolveExit) => running.once('exit', resolveExit));
    // An outage, not a shutdown: nothing in flight gets finished.
    running.kill('SIGKILL');
    await exited;
  };
  await start();
  return {
    env: {
      S3_ENDPOINT: `http://127.0.0.1:${port}`,
      S3_REGION: 'us-east-1',
      S3_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
      S3_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
      S3_BUCKET: bucket,
    },
    start,
    stop,
    dispose: async () => {
      await stop();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

/** A broker of a test's own, as the stack runs its broker (deploy/local). */
export interface PrivateKafka {
  /**
   * KAFKA_BROKERS and, secured, the admin's KAFKA_SASL_* and every principal's password
   * (KAFKA_SASL_PASSWORD_<PRINCIPAL>); on TLS, KAFKA_TLS and KAFKA_TLS_CA_FILE.
   */
  env: Record<string, string>;
  /** Stops it and removes its data. */
  dispose(): Promise<void>;
}

/**
 * `secured`: SASL/SCRAM and ACLs, as the stack's broker; else PLAINTEXT. `tls` (with `secured`): SASL on
 * TLS, the broker's certificate signed by a CA of its own, trusted through env's KAFKA_TLS_CA_FILE.
 * Takes half a minute to start.
 */
export async function startPrivateKafka(options: { secured: boolean; tls?: boolean }): Promise<PrivateKafka> {
  const directory = mkdtempSync(join(tmpdir(), 'modelreg-private-kafka-'));
  const [port, controllerPort] = [await freePort(), await freePort()];
  const mode = options.secured ? [options.tls ? 'secured-tls' : 'secured'] : [];
  const args = ['start', String(port), String(controllerPort), directory, ...mode];
  const started = JSON.parse(await runScript('kafka-server.main.ts', args)) as { pid: number; env: Record<string, string> };
  return {
    env: started.env,
    dispose: async () => {
      try {
        process.kill(started.pid, 'SIGKILL');
      } catch {
        // already gone
      }
      await eventually(
        async () => isAlive(started.pid),
        (alive) => !alive,
        { timeoutMs: 30_000, what: `private kafka (pid ${started.pid}) to exit` },
      );
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Runs one of the stack's scripts (deploy/local/src); `env` adds to this process's environment. */
export function runScript(script: string, args: string[], env: Record<string, string> = {}): Promise<string> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, [resolve(REPO_ROOT, 'tools/run.js'), resolve(REPO_ROOT, 'deploy/local/src', script), ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let errors = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolveRun(output) : reject(new Error(`${script} ${args.join(' ')} exited with ${code}: ${errors}`)),
    );
  });
}

function isPortOpen(port: number): Promise<boolean> {
  return new Promise((resolveOpen) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolveOpen(true);
    });
    socket.once('error', () => resolveOpen(false));
  });
}
