import { readBusSettings, readDatabaseUrl, readHttpSettings, readObjectStoreSettings, integerInRange, optionalString, type Env } from '@modelreg/config';
import type { BusSettings, HttpSettings, ObjectStoreSettings } from '@modelreg/config';

export interface IngestionConfig {
  http: HttpSettings;
  bus: BusSettings;
  databaseUrl: string;
  objectStore: ObjectStoreSettings;
  instance: string;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  /** Largest JSON request body, bytes. */
  maxJsonBytes: number;
}

/** Read once at boot; a missing or malformed value stops the service naming the variable. */
export function loadIngestionConfig(env: Env): IngestionConfig {
  return {
    http: readHttpSettings(env, 'INGESTION_PORT'),
    bus: readBusSettings(env),
    databaseUrl: readDatabaseUrl(env),
    objectStore: readObjectStoreSettings(env),
    instance: optionalString(env, 'SERVICE_INSTANCE', `ingestion-${process.pid}`),
    logLevel: optionalString(env, 'LOG_LEVEL', 'info') as IngestionConfig['logLevel'],
    maxJsonBytes: integerInRange(env, 'INGESTION_MAX_JSON_BYTES', 4 * 1024 * 1024, 1024, 64 * 1024 * 1024),
  };
}
