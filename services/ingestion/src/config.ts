import {
  integerInRange,
  readObjectStoreSettings,
  readServiceSettings,
  type Env,
  type ObjectStoreSettings,
  type ServiceSettings,
} from '@modelreg/config';

export interface IngestionConfig extends ServiceSettings {
  objectStore: ObjectStoreSettings;
  /** Largest JSON request body, bytes. */
  maxJsonBytes: number;
  /** Incomplete multipart uploads and temporary objects older than this are removed by the sweep. */
  multipartSweepAgeMinutes: number;
  multipartSweepIntervalMinutes: number;
}

/** Read once at boot; a missing or malformed value stops the service naming the variable. */
export function loadIngestionConfig(env: Env): IngestionConfig {
  return {
    ...readServiceSettings(env, 'ingestion', 'INGESTION_PORT'),
    objectStore: readObjectStoreSettings(env),
    maxJsonBytes: integerInRange(env, 'INGESTION_MAX_JSON_BYTES', 4 * 1024 * 1024, 1024, 64 * 1024 * 1024),
    multipartSweepAgeMinutes: integerInRange(env, 'MULTIPART_SWEEP_AGE_MINUTES', 60, 1, 7 * 24 * 60),
    multipartSweepIntervalMinutes: integerInRange(env, 'MULTIPART_SWEEP_INTERVAL_MINUTES', 15, 1, 24 * 60),
  };
}
