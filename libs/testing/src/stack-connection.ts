import { resolve } from 'node:path';
import { readEnvFile } from '@modelreg/config';

/** The repository root: tests run services and scripts from here. */
export const REPO_ROOT = resolve(__dirname, '../../..');

/**
 * Connection settings of the running local stack (written by `npm run stack:up`), or of the file
 * MODELREG_STACK_ENV names: the same tests against other servers (a broker of one's own).
 */
export function stackConnection(): Record<string, string> {
  return readEnvFile(process.env['MODELREG_STACK_ENV'] ?? resolve(REPO_ROOT, '.local/stack.env'));
}
