import { hostPortList, identifier, integerInRange, optionalString, port, urlWithProtocol, type Env } from './env-readers';
import { ConfigError } from './config-error';

/** How a service reaches the event log. */
export interface BusSettings {
  brokers: string[];
  topicPrefix: string;
  topicPartitions: number;
}

export interface ObjectStoreSettings {
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  bucket: string;
}

export interface HttpSettings {
  host: string;
  port: number;
}

export function readBusSettings(env: Env): BusSettings {
  return {
    brokers: hostPortList(env, 'KAFKA_BROKERS'),
    topicPrefix: identifier(env, 'TOPIC_PREFIX', 'modelreg'),
    topicPartitions: integerInRange(env, 'TOPIC_PARTITIONS', 3, 1, 1000),
  };
}

export function readDatabaseUrl(env: Env): string {
  return urlWithProtocol(env, 'DATABASE_URL', ['postgres:', 'postgresql:']).toString();
}

export function readObjectStoreSettings(env: Env): ObjectStoreSettings {
  return {
    endpoint: urlWithProtocol(env, 'S3_ENDPOINT', ['http:', 'https:']).toString(),
    region: optionalString(env, 'S3_REGION', 'us-east-1'),
    accessKeyId: optionalString(env, 'S3_ACCESS_KEY_ID', ''),
    secretAccessKey: optionalString(env, 'S3_SECRET_ACCESS_KEY', ''),
    bucket: identifier(env, 'S3_BUCKET', 'modelreg-artifacts'),
  };
}

export function readHttpSettings(env: Env, portVariable: string): HttpSettings {
  return {
    host: optionalString(env, 'HTTP_HOST', '127.0.0.1'),
    port: port(env, portVariable),
  };
}

export type LogLevelSetting = 'debug' | 'info' | 'warn' | 'error';

/** What every service reads: where it listens, the bus, its database, who it is and how much it logs. */
export interface ServiceSettings {
  http: HttpSettings;
  bus: BusSettings;
  databaseUrl: string;
  instance: string;
  logLevel: LogLevelSetting;
  /** Readiness fails when a consumed partition with records waiting has not advanced for this long, s. */
  consumerStallSeconds: number;
}

export function readServiceSettings(env: Env, serviceName: string, portVariable: string): ServiceSettings {
  const logLevel = optionalString(env, 'LOG_LEVEL', 'info');
  if (!['debug', 'info', 'warn', 'error'].includes(logLevel)) throw new ConfigError('LOG_LEVEL', `must be debug, info, warn or error, got "${logLevel}"`);
  return {
    http: readHttpSettings(env, portVariable),
    bus: readBusSettings(env),
    databaseUrl: readDatabaseUrl(env),
    instance: optionalString(env, 'SERVICE_INSTANCE', `${serviceName}-${process.pid}`),
    logLevel: logLevel as LogLevelSetting,
    consumerStallSeconds: integerInRange(env, 'CONSUMER_STALL_SECONDS', 60, 1, 86_400),
  };
}
