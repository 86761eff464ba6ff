import { identifier, optionalString, readBusSettings, readDatabaseUrl, readHttpSettings, type BusSettings, type Env, type HttpSettings } from '@modelreg/config';

export interface ProjectionsConfig {
  http: HttpSettings;
  bus: BusSettings;
  databaseUrl: string;
  consumerGroup: string;
  instance: string;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
}

/** Read once at boot; a missing or malformed value stops the service naming the variable. */
export function loadProjectionsConfig(env: Env): ProjectionsConfig {
  const bus = readBusSettings(env);
  return {
    http: readHttpSettings(env, 'PROJECTIONS_PORT'),
    bus,
    databaseUrl: readDatabaseUrl(env),
    consumerGroup: identifier(env, 'PROJECTIONS_CONSUMER_GROUP', `${bus.topicPrefix}.projections`),
    instance: optionalString(env, 'SERVICE_INSTANCE', `projections-${process.pid}`),
    logLevel: optionalString(env, 'LOG_LEVEL', 'info') as ProjectionsConfig['logLevel'],
  };
}
