import { hostPortList, identifier, integerInRange, optionalString, port, urlWithProtocol, type Env } from './env-readers';

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
