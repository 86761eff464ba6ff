import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { optionalString, readEnvFile, urlWithProtocol, type Env } from '@modelreg/config';

export interface CliConfig {
  ingestionUrl: string | null;
  projectionsUrl: string | null;
  /** Where the CLI keeps what it may forget (the sha256 cache). */
  cacheDir: string;
}

const STACK_ENV = resolve(__dirname, '../../../.local/stack.env');

/**
 * Where the registry is: MODELREG_INGESTION_URL / MODELREG_PROJECTIONS_URL, else the local stack
 * started from this checkout (.local/stack.env). The cache is MODELREG_CACHE_DIR, else
 * $XDG_CACHE_HOME/modelreg, else ~/.cache/modelreg.
 */
export function loadCliConfig(env: Env): CliConfig {
  const local = existsSync(STACK_ENV) ? readEnvFile(STACK_ENV) : {};
  const pick = (name: string, portVariable: string) => {
    if (optionalString(env, name, '') !== '') return urlWithProtocol(env, name, ['http:', 'https:']).toString();
    return local[portVariable] ? `http://127.0.0.1:${local[portVariable]}` : null;
  };
  const cacheDir = optionalString(env, 'MODELREG_CACHE_DIR', join(optionalString(env, 'XDG_CACHE_HOME', join(homedir(), '.cache')), 'modelreg'));
  return { ingestionUrl: pick('MODELREG_INGESTION_URL', 'INGESTION_PORT'), projectionsUrl: pick('MODELREG_PROJECTIONS_URL', 'PROJECTIONS_PORT'), cacheDir };
}
