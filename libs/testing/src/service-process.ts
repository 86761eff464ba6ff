import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { asKafkaPrincipal } from '@modelreg/config';
import { listensOn } from './port-owner';
import { REPO_ROOT } from './stack-connection';

export type ServiceName = 'ingestion' | 'gate-validator' | 'deployment-tracker' | 'projections';

const PORT_VARIABLE: Record<ServiceName, string> = {
  ingestion: 'INGESTION_PORT',
  'gate-validator': 'GATE_VALIDATOR_PORT',
  'deployment-tracker': 'DEPLOYMENT_TRACKER_PORT',
  projections: 'PROJECTIONS_PORT',
};

/** A service running as its own process, as in production, against the real stack. */
export interface RunningService {
  name: ServiceName;
  url: string;
  process: ChildProcess;
  output(): string;
  /** SIGTERM and wait: the graceful path. */
  stop(): Promise<number | null>;
  /** SIGKILL: a crash, nothing flushed. */
  kill(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolvePort(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export interface StartOptions {
  timeoutMs?: number;
  waitReady?: boolean;
  /** Run the compiled service from dist/ (run tools/build.js first), as npm start does; default: compile on load. */
  compiled?: boolean;
  /** The port to try first (default: a free one); a port found taken is traded for a free one. */
  port?: number;
}

/** `env` holds the stack's admin settings; the service gets its own Kafka principal's instead (asKafkaPrincipal), so its ACLs apply. */
export async function startService(name: ServiceName, env: Record<string, string>, options: StartOptions = {}): Promise<RunningService> {
  // A port from freePort() can be bound by another process before the service binds it: start
  // again on another port when that happened (the service exits with EADDRINUSE).
  for (let attempt = 1; ; attempt++) {
    try {
      const port = attempt === 1 && options.port !== undefined ? options.port : await freePort();
      return await startServiceOnce(name, env, options, port);
    } catch (error) {
      if (!(error instanceof PortTaken) || attempt === MAX_PORT_ATTEMPTS) throw error;
    }
  }
}

const MAX_PORT_ATTEMPTS = 5;

class PortTaken extends Error {}

async function startServiceOnce(
  name: ServiceName,
  env: Record<string, string>,
  options: StartOptions,
  port: number,
): Promise<RunningService> {
  const entry = options.compiled
    ? [resolve(REPO_ROOT, `dist/services/${name}/src/main.js`)]
    : [resolve(REPO_ROOT, 'tools/run.js'), resolve(REPO_ROOT, `services/${name}/src/main.ts`)];
  // BENCH_PROFILE_DIR: each service writes a V8 CPU profile there when it stops (NODE_OPTIONS may not carry --cpu-prof).
  const profile = process.env['BENCH_PROFILE_DIR']
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env['BENCH_PROFILE_DIR']}`, `--cpu-prof-name=${name}-${port}.cpuprofile`]
    : [];
  const child = spawn(process.execPath, [...profile, ...entry], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      ...asKafkaPrincipal(env, name),
      [PORT_VARIABLE[name]]: String(port),
      HTTP_HOST: '127.0.0.1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolveExit) => child.once('exit', (code) => resolveExit(code)));
  const url = `http://127.0.0.1:${port}`;
  const service: RunningService = {
    name,
    url,
    process: child,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
  if (options.waitReady !== false) {
    const deadline = Date.now() + (options.timeoutMs ?? 60_000);
    for (;;) {
      if (child.exitCode !== null) {
        const message = `${name} exited with ${child.exitCode} before it was ready:\n${output}`;
        throw output.includes('EADDRINUSE') ? new PortTaken(message) : new Error(message);
      }
      // Ready, and ready here: the answer must come from this child, not from whoever took the port.
      if ((await isReady(url)) && child.pid !== undefined && listensOn(child.pid, port) !== false) break;
      if (Date.now() > deadline) {
        await service.kill();
        throw new Error(`${name} not ready after ${options.timeoutMs ?? 60_000} ms:\n${output}`);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  return service;
}

async function isReady(url: string): Promise<boolean> {
  try {
    return (await fetch(`${url}/health/ready`)).status === 200;
  } catch {
    return false;
  }
}
