import { identifier, integerInRange, readServiceSettings, type Env, type ServiceSettings } from '@modelreg/config';

export interface ProjectionsConfig extends ServiceSettings {
  consumerGroup: string;
  /** Events applied per transaction (larger is faster; smaller commits more often). */
  batchEvents: number;
  /** Most bytes fetched per partition at a time: more makes a replay faster and costs memory, three partitions in flight per consumer. */
  fetchBytesPerPartition: number;
  /** How long the newest retired schema (for rollback) and leftovers of failed replays are kept. */
  replayRetentionHours: number;
  replayCleanupIntervalMinutes: number;
}

/** Read once at boot; a missing or malformed value stops the service naming the variable. */
export function loadProjectionsConfig(env: Env): ProjectionsConfig {
  const settings = readServiceSettings(env, 'projections', 'PROJECTIONS_PORT');
  return {
    ...settings,
    consumerGroup: identifier(env, 'PROJECTIONS_CONSUMER_GROUP', `${settings.bus.topicPrefix}.projections`),
    batchEvents: integerInRange(env, 'PROJECTIONS_BATCH_EVENTS', 2000, 1, 100_000),
    fetchBytesPerPartition: integerInRange(env, 'PROJECTIONS_FETCH_MIB', 16, 1, 256) * 1024 * 1024,
    replayRetentionHours: integerInRange(env, 'REPLAY_RETENTION_HOURS', 24, 0, 24 * 365),
    replayCleanupIntervalMinutes: integerInRange(env, 'REPLAY_CLEANUP_INTERVAL_MINUTES', 60, 1, 24 * 60),
  };
}
