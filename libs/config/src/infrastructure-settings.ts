import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  booleanSetting,
  hostPortList,
  identifier,
  integerInRange,
  optionalString,
  port,
  requiredString,
  urlWithProtocol,
  type Env,
} from './env-readers';
import { readHttpSecuritySettings, type HttpSecuritySettings } from './http-security-settings';
import { ConfigError } from './config-error';
import { readTracingSettings, type TracingSettings } from './tracing-settings';

/** How a service reaches the event log. */
export interface BusSettings {
  brokers: string[];
  topicPrefix: string;
  topicPartitions: number;
  /**
   * The largest event (one Kafka record: key, value, headers) the service appends, bytes. Checked at
   * boot against max.message.bytes of the topics it produces to; a request whose event would be
   * larger is refused before anything is written.
   */
  maxEventBytes: number;
  /** Bounds of one outbox relay send; bytes stay below the broker's message.max.bytes. */
  outboxBatch: { maxRecords: number; maxBytes: number };
  /** How clients authenticate and encrypt; null is PLAINTEXT without authentication (local stack). */
  security: KafkaSecuritySettings | null;
  /**
   * EVENT_KEYS_DIR: the signing service's Ed25519 key (`<service>.key.pem`) and the keyring every
   * consumer trusts (`keyring.json`). Null: events are neither signed nor verified (development only).
   */
  eventKeysDir: string | null;
}

/** SASL and TLS for the Kafka clients: `KAFKA_SASL_*` and `KAFKA_TLS_*`. */
export interface KafkaSecuritySettings {
  sasl: { mechanism: KafkaSaslMechanism; username: string; password: string } | null;
  /** null: no TLS. PEM contents, read once at boot from the files named by the settings. */
  tls: { ca: string | null; cert: string | null; key: string | null; rejectUnauthorized: boolean } | null;
}

export type KafkaSaslMechanism = 'scram-sha-256' | 'scram-sha-512' | 'plain';
const SASL_MECHANISMS: readonly KafkaSaslMechanism[] = ['scram-sha-256', 'scram-sha-512', 'plain'];

/**
 * MAX_EVENT_BYTES when unset: 1,000,000 bytes, which a broker with Kafka's stock message.max.bytes
 * (1,048,588) accepts. Raise it together with the topics' max.message.bytes for larger events.
 */
export const DEFAULT_MAX_EVENT_BYTES = 1_000_000;

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
  /** Bearer-token verification, CORS, Host allow list, rate limits. */
  security: HttpSecuritySettings;
}

export function readBusSettings(env: Env): BusSettings {
  return {
    brokers: hostPortList(env, 'KAFKA_BROKERS'),
    topicPrefix: identifier(env, 'TOPIC_PREFIX', 'modelreg'),
    topicPartitions: integerInRange(env, 'TOPIC_PARTITIONS', 3, 1, 1000),
    maxEventBytes: integerInRange(env, 'MAX_EVENT_BYTES', DEFAULT_MAX_EVENT_BYTES, 1024, 1024 * 1024 * 1024),
    outboxBatch: {
      maxRecords: integerInRange(env, 'OUTBOX_BATCH_MAX_RECORDS', 500, 1, 100_000),
      maxBytes: integerInRange(env, 'OUTBOX_BATCH_MAX_BYTES', 4 * 1024 * 1024, 64 * 1024, 64 * 1024 * 1024),
    },
    security: readKafkaSecurity(env),
    eventKeysDir: readEventKeysDir(env),
  };
}

/**
 * KAFKA_SASL_MECHANISM (scram-sha-256, scram-sha-512 or plain) with KAFKA_SASL_USERNAME and
 * KAFKA_SASL_PASSWORD; KAFKA_TLS=true with optional KAFKA_TLS_CA_FILE, KAFKA_TLS_CERT_FILE and
 * KAFKA_TLS_KEY_FILE (mutual TLS) and KAFKA_TLS_REJECT_UNAUTHORIZED (default true).
 */
export function readKafkaSecurity(env: Env): KafkaSecuritySettings | null {
  const mechanism = optionalString(env, 'KAFKA_SASL_MECHANISM', '').toLowerCase();
  if (mechanism !== '' && !SASL_MECHANISMS.includes(mechanism as KafkaSaslMechanism)) {
    throw new ConfigError('KAFKA_SASL_MECHANISM', `must be one of ${SASL_MECHANISMS.join(', ')}, got "${mechanism}"`);
  }
  const sasl =
    mechanism === ''
      ? null
      : {
          mechanism: mechanism as KafkaSaslMechanism,
          username: requiredString(env, 'KAFKA_SASL_USERNAME'),
          password: requiredString(env, 'KAFKA_SASL_PASSWORD'),
        };
  const tlsEnabled = booleanSetting(env, 'KAFKA_TLS', false);
  const tls = tlsEnabled
    ? {
        ca: pemFile(env, 'KAFKA_TLS_CA_FILE'),
        cert: pemFile(env, 'KAFKA_TLS_CERT_FILE'),
        key: pemFile(env, 'KAFKA_TLS_KEY_FILE'),
        rejectUnauthorized: booleanSetting(env, 'KAFKA_TLS_REJECT_UNAUTHORIZED', true),
      }
    : null;
  if (tls && (tls.cert === null) !== (tls.key === null))
    throw new ConfigError('KAFKA_TLS_KEY_FILE', 'KAFKA_TLS_CERT_FILE and KAFKA_TLS_KEY_FILE go together (mutual TLS)');
  return sasl || tls ? { sasl, tls } : null;
}

function readEventKeysDir(env: Env): string | null {
  const dir = optionalString(env, 'EVENT_KEYS_DIR', '');
  if (dir === '') return null;
  if (!existsSync(join(dir, 'keyring.json'))) throw new ConfigError('EVENT_KEYS_DIR', `${dir} holds no keyring.json`);
  return dir;
}

function pemFile(env: Env, name: string): string | null {
  const file = optionalString(env, name, '');
  if (file === '') return null;
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(name, `cannot read ${file}: ${(error as Error).message}`);
  }
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
  const host = optionalString(env, 'HTTP_HOST', '127.0.0.1');
  return { host, port: port(env, portVariable), security: readHttpSecuritySettings(env, host) };
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
  /** Whether spans are exported (OTEL_TRACES_EXPORTER, OTEL_EXPORTER_OTLP_ENDPOINT). */
  tracing: TracingSettings;
}

export function readServiceSettings(env: Env, serviceName: string, portVariable: string): ServiceSettings {
  const logLevel = optionalString(env, 'LOG_LEVEL', 'info');
  if (!['debug', 'info', 'warn', 'error'].includes(logLevel))
    throw new ConfigError('LOG_LEVEL', `must be debug, info, warn or error, got "${logLevel}"`);
  return {
    http: readHttpSettings(env, portVariable),
    bus: readBusSettings(env),
    databaseUrl: readDatabaseUrl(env),
    instance: optionalString(env, 'SERVICE_INSTANCE', `${serviceName}-${process.pid}`),
    logLevel: logLevel as LogLevelSetting,
    consumerStallSeconds: integerInRange(env, 'CONSUMER_STALL_SECONDS', 60, 1, 86_400),
    tracing: readTracingSettings(env),
  };
}
