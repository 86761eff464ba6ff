import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { optionalString, readEnvFile, urlWithProtocol, type Env } from '@modelreg/config';

export interface CliConfig {
  ingestionUrl: string | null;
  projectionsUrl: string | null;
}

const STACK_ENV = resolve(__dirname, '../../../.local/stack.env');

/**
 * Where the registry is: MODELREG_INGESTION_URL / MODELREG_PROJECTIONS_URL, else the local stack
 * started from this checkout (.local/stack.env).
 */
export function loadCliConfig(env: Env): CliConfig {
  const local = existsSync(STACK_ENV) ? readEnvFile(STACK_ENV) : {};
  const pick = (name: string, portVariable: string) => {
    if (optionalString(env, name, '') !== '') return urlWithProtocol(env, name, ['http:', 'https:']).toString();
    return local[portVariable] ? `http://127.0.0.1:${local[portVariable]}` : null;
  };
  return { ingestionUrl: pick('MODELREG_INGESTION_URL', 'INGESTION_PORT'), projectionsUrl: pick('MODELREG_PROJECTIONS_URL', 'PROJECTIONS_PORT') };
}
