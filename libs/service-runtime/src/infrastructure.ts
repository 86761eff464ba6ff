import {
  EventCodec,
  readKeyring,
  readSigningKey,
  SchemaCatalog,
  SIGNED_TOPIC_OF_SERVICE,
  SIGNED_TOPICS,
  topicNames,
  type Keyring,
  type TopicNames,
  type TopicRole,
} from '@modelreg/events';
import type { BusSettings, TracingSettings } from '@modelreg/config';
import {
  checkEventLimit,
  createKafkaClient,
  isKafkaConnectionError,
  KafkaEventPublisher,
  provisionTopics,
  topicMessageLimits,
  type Kafka,
} from '@modelreg/kafka';
import type { Logger } from '@modelreg/logging';
import { createPool, migrate, pingPostgres, type Pool } from '@modelreg/postgres';
import { resolve } from 'node:path';
import { ServiceMetrics } from './metrics/service-metrics';
import { EventSealer } from './integrity/event-sealer';
import { EventVerifier } from './integrity/event-verifier';
import { OutboxRelay } from './outbox/outbox-relay';
import type { ReadinessCheck } from './readiness-check';
import { startTracing } from './tracing/start-tracing';

/** Tables every service has in its schema: applied events, consumer positions, outbox. */
const RUNTIME_MIGRATIONS_DIR = resolve(__dirname, '../migrations');

/** The connections every service holds: the event log (with its codec) and its Postgres schema. */
export interface ServiceInfrastructure {
  kafka: Kafka;
  publisher: KafkaEventPublisher;
  codec: EventCodec;
  topics: TopicNames;
  pool: Pool;
  readiness: ReadinessCheck[];
  /** Resolves true once the topics exist (at boot, or with `kafkaOptionalAtBoot` when Kafka is back), false if the service closed first. */
  kafkaProvisioned: Promise<boolean>;
  /** The relay of the outbox in `schema`, with a publisher of its own; stop it before `close`. */
  outboxRelay(schema: string): OutboxRelay;
  /** This process's Prometheus metrics (GET /metrics). */
  metrics: ServiceMetrics;
  /** Checks signatures and chains of consumed events; null without EVENT_KEYS_DIR. */
  verifier: EventVerifier | null;
  /** The public keys trusted per topic; null without EVENT_KEYS_DIR. */
  keyring: Keyring | null;
  close(): Promise<void>;
}

export interface InfrastructureOptions {
  serviceName: string;
  bus: BusSettings;
  databaseUrl: string;
  /** This service's own Postgres schema and its migration files. */
  schema: string;
  migrationsDir: string;
  /** The topics this service appends to: each must accept an event of MAX_EVENT_BYTES, or the service stops at boot. */
  produces: TopicRole[];
  logger: Logger;
  poolSize?: number;
  /**
   * Start while Kafka is unreachable (the service serves what needs Postgres only); topics are
   * provisioned, retrying, once it answers. Default: Kafka must answer at boot or the start fails.
   */
  kafkaOptionalAtBoot?: boolean;
  /** Export spans named after `serviceName` (config.tracing); default off. */
  tracing?: TracingSettings;
}

export async function connectInfrastructure(options: InfrastructureOptions): Promise<ServiceInfrastructure> {
  // First, so every span of the service (requests, sends, consumption) goes to the one provider.
  const tracing = startTracing(options.serviceName, options.tracing ?? { exporter: 'none' });
  const kafka = createKafkaClient({
    brokers: options.bus.brokers,
    clientId: `modelreg-${options.serviceName}`,
    logger: options.logger,
    security: options.bus.security,
  });
  const topics = topicNames(options.bus.topicPrefix);
  let closed = false;
  const provision = async () => {
    await provisionTopics(
      kafka,
      Object.values(topics).map((name) => ({ name, partitions: options.bus.topicPartitions })),
    );
    checkEventLimit(
      options.bus.maxEventBytes,
      await topicMessageLimits(
        kafka,
        options.produces.map((role) => topics[role]),
      ),
    );
    return true;
  };
  const kafkaProvisioned = options.kafkaOptionalAtBoot ? retryUntilDone(provision, () => closed, options.logger) : provision();
  if (!options.kafkaOptionalAtBoot) await kafkaProvisioned;
  // A failure other than Kafka being unreachable (a topic too small for MAX_EVENT_BYTES) surfaces where the service awaits this.
  else kafkaProvisioned.catch(() => undefined);
  const pool = createPool({
    connectionString: options.databaseUrl,
    applicationName: `modelreg-${options.serviceName}`,
    max: options.poolSize ?? 10,
    logger: options.logger,
  });
  const { runtime: runtimeApplied, service: applied } = await migrateServiceSchema(pool, options.schema, options.migrationsDir);
  if (runtimeApplied.length + applied.length > 0)
    options.logger.info('migrations applied', { schema: options.schema, runtime: runtimeApplied, service: applied });
  const publisher = new KafkaEventPublisher(kafka);
  const codec = new EventCodec(SchemaCatalog.load());
  const { sealer, verifier, keyring } = eventIntegrity(options.serviceName, options.bus.eventKeysDir, codec, topics);
  if (!verifier) options.logger.warn('EVENT_KEYS_DIR is not set: events are neither signed nor verified');
  const metrics = new ServiceMetrics(options.serviceName);
  const relayPublishers: KafkaEventPublisher[] = [];
  const admin = kafka.admin();
  let adminConnected: Promise<void> | null = null;
  const readiness: ReadinessCheck[] = [
    { name: 'postgres', check: () => pingPostgres(pool) },
    {
      name: 'kafka',
      check: async () => {
        adminConnected ??= admin.connect().catch((error: unknown) => {
          adminConnected = null;
          throw error;
        });
        try {
          await adminConnected;
          await admin.describeCluster();
        } catch (error) {
          throw new Error(`kafka unavailable: ${(error as Error).message}`);
        }
      },
    },
  ];
  return {
    kafka,
    publisher,
    codec,
    topics,
    pool,
    readiness,
    kafkaProvisioned,
    outboxRelay: (schema) => {
      const relayPublisher = new KafkaEventPublisher(kafka);
      relayPublishers.push(relayPublisher);
      const relay = new OutboxRelay({
        pool,
        schema,
        kafka,
        publisher: relayPublisher,
        deadLetterTopic: topics.deadLetter,
        logger: options.logger,
        limits: options.bus.outboxBatch,
        sealer,
      });
      metrics.watchOutbox(schema, pool, () => relay.counters());
      return relay;
    },
    metrics,
    verifier,
    keyring,
    close: async () => {
      closed = true;
      for (const relayPublisher of [publisher, ...relayPublishers]) await relayPublisher.close().catch(() => undefined);
      if (adminConnected) await admin.disconnect().catch(() => undefined);
      await pool.end().catch(() => undefined);
      await tracing.shutdown().catch(() => undefined);
    },
  };
}

/** The service's sealer (a signing service with a key directory) and the verifier of every signed topic. */
function eventIntegrity(
  serviceName: string,
  keysDir: string | null,
  codec: EventCodec,
  topics: TopicNames,
): { sealer: EventSealer | null; verifier: EventVerifier | null; keyring: Keyring | null } {
  if (!keysDir) return { sealer: null, verifier: null, keyring: null };
  const keyring = readKeyring(keysDir);
  const verifier = new EventVerifier(codec, keyring, new Map(SIGNED_TOPICS.map((role) => [topics[role], role])));
  const ownTopic = (SIGNED_TOPIC_OF_SERVICE as Record<string, TopicRole | undefined>)[serviceName];
  const sealer = ownTopic
    ? new EventSealer(codec, readSigningKey(keysDir, serviceName as keyof typeof SIGNED_TOPIC_OF_SERVICE), topics[ownTopic])
    : null;
  return { sealer, verifier, keyring };
}

/** Runs `task` until it succeeds, backing off up to 10 s, logging each failure; false once `stopped()`. */
async function retryUntilDone(task: () => Promise<boolean>, stopped: () => boolean, logger: Logger): Promise<boolean> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await task();
    } catch (error) {
      if (!isKafkaConnectionError(error)) throw error;
      if (stopped()) return false;
      const retryInMs = Math.min(10_000, 500 * 2 ** Math.min(attempt, 5));
      logger.warn('kafka unavailable at boot; serving without it, provisioning topics when it is back', { error, attempt, retryInMs });
      await new Promise((resolveDelay) => setTimeout(resolveDelay, retryInMs).unref());
      if (stopped()) return false;
    }
  }
}

/** Creates or upgrades a service schema: the runtime tables (ledger, outbox), then the service's own migrations. */
export async function migrateServiceSchema(
  pool: Pool,
  schema: string,
  migrationsDir: string,
): Promise<{ runtime: number[]; service: number[] }> {
  const runtime = await migrate(pool, schema, RUNTIME_MIGRATIONS_DIR, 'runtime');
  const service = await migrate(pool, schema, migrationsDir);
  return { runtime, service };
}
