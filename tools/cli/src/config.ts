import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { optionalString, readEnvFile, urlWithProtocol, type Env } from '@modelreg/config';

export interface CliConfig {
  ingestionUrl: string | null;
  projectionsUrl: string | null;
  /** Where the CLI keeps what it may forget (the sha256 cache). */
  cacheDir: string;
  /** The bearer token each kind of command sends; null: none (the registry answers 401). */
  tokens: Record<CliRole, string | null>;
}

/** The roles the CLI's commands act in: register as trainer, diff/reproduce as reader, replay as auditor. */
export type CliRole = 'trainer' | 'reader' | 'auditor';

const STACK_ENV = resolve(__dirname, '../../../.local/stack.env');

/**
 * Where the registry is: MODELREG_INGESTION_URL / MODELREG_PROJECTIONS_URL, else the local stack
 * started from this checkout (.local/stack.env). The cache is MODELREG_CACHE_DIR, else
 * $XDG_CACHE_HOME/modelreg, else ~/.cache/modelreg. The token is MODELREG_TOKEN (or --token), else
 * the local stack's development token of the command's role (MODELREG_TOKEN_TRAINER, ...).
 */
export function loadCliConfig(env: Env): CliConfig {
  const local = existsSync(STACK_ENV) ? readEnvFile(STACK_ENV) : {};
  const pick = (name: string, portVariable: string) => {
    if (optionalString(env, name, '') !== '') return urlWithProtocol(env, name, ['http:', 'https:']).toString();
    return local[portVariable] ? `http://127.0.0.1:${local[portVariable]}` : null;
  };
  const cacheDir = optionalString(
    env,
    'MODELREG_CACHE_DIR',
    join(optionalString(env, 'XDG_CACHE_HOME', join(homedir(), '.cache')), 'modelreg'),
  );
  const token = optionalString(env, 'MODELREG_TOKEN', '');
  const tokenOf = (role: CliRole) => (token !== '' ? token : (local[`MODELREG_TOKEN_${role.toUpperCase()}`] ?? null));
  return {
    ingestionUrl: pick('MODELREG_INGESTION_URL', 'INGESTION_PORT'),
    projectionsUrl: pick('MODELREG_PROJECTIONS_URL', 'PROJECTIONS_PORT'),
    cacheDir,
    tokens: { trainer: tokenOf('trainer'), reader: tokenOf('reader'), auditor: tokenOf('auditor') },
  };
}
