import { resolve } from 'node:path';
import { readEnvFile } from '@modelreg/config';

/** The repository root: tests run services and scripts from here. */
export const REPO_ROOT = resolve(__dirname, '../../..');

/** Connection settings of the running local stack (written by `npm run stack:up`). */
export function stackConnection(): Record<string, string> {
  return readEnvFile(resolve(REPO_ROOT, '.local/stack.env'));
}
