import { readEnvFile } from '@modelreg/config';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { LOCAL_DIR, STACK_ENV_FILE } from './stack-layout';

const STATE_FILE = resolve(LOCAL_DIR, 'stack.json');

/** What `up` started (so `down` stops exactly that) and how clients reach it. */
export interface StackState {
  /** `kafka`, or `kafka-1`… for the nodes of a cluster (KAFKA_NODES), `postgres`, `s3`, `issuer`. */
  started: Partial<Record<string, { pid: number; startedAt: string }>>;
  env: Record<string, string>;
}

export function readStackState(): StackState {
  if (!existsSync(STATE_FILE)) return { started: {}, env: {} };
  return JSON.parse(readFileSync(STATE_FILE, 'utf8')) as StackState;
}

export function writeStackState(state: StackState): void {
  mkdirSync(dirname(STATE_FILE), { recursive: true });
  // Both files hold the development tokens and the Kafka principals' passwords: readable by their owner only.
  writeFileSync(STATE_FILE, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  chmodSync(STATE_FILE, 0o600);
  const lines = Object.entries(state.env).map(([key, value]) => `${key}=${value}`);
  writeFileSync(
    STACK_ENV_FILE,
    `# written by deploy/local: how to reach the local stack, and its development tokens\n${lines.join('\n')}\n`,
    { mode: 0o600 },
  );
  chmodSync(STACK_ENV_FILE, 0o600);
}

/** The connection settings of the running local stack, for services and tests. */
export function readStackEnv(file: string = STACK_ENV_FILE): Record<string, string> {
  return readEnvFile(file);
}
