import { EventCodec, SchemaCatalog, topicNames, type TopicNames, type TopicRole } from '@modelreg/events';
import type { BusSettings } from '@modelreg/config';
import { checkEventLimit, createKafkaClient, KafkaEventPublisher, provisionTopics, topicMessageLimits, type Kafka } from '@modelreg/kafka';
import type { Logger } from '@modelreg/logging';
import { createPool, migrate, pingPostgres, type Pool } from '@modelreg/postgres';
import { resolve } from 'node:path';
import type { ReadinessCheck } from './readiness-check';

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
}

export async function connectInfrastructure(options: InfrastructureOptions): Promise<ServiceInfrastructure> {
  const kafka = createKafkaClient({ brokers: options.bus.brokers, clientId: `modelreg-${options.serviceName}`, logger: options.logger, security: options.bus.security });
  const topics = topicNames(options.bus.topicPrefix);
  await provisionTopics(kafka, Object.values(topics).map((name) => ({ name, partitions: options.bus.topicPartitions })));
  checkEventLimit(options.bus.maxEventBytes, await topicMessageLimits(kafka, options.produces.map((role) => topics[role])));
  const pool = createPool({ connectionString: options.databaseUrl, applicationName: `modelreg-${options.serviceName}`, max: options.poolSize ?? 10 });
  const { runtime: runtimeApplied, service: applied } = await migrateServiceSchema(pool, options.schema, options.migrationsDir);
  if (runtimeApplied.length + applied.length > 0) options.logger.info('migrations applied', { schema: options.schema, runtime: runtimeApplied, service: applied });
  const publisher = new KafkaEventPublisher(kafka);
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
        await adminConnected;
        await admin.describeCluster();
      },
    },
  ];
  return {
    kafka,
    publisher,
    codec: new EventCodec(SchemaCatalog.load()),
    topics,
    pool,
    readiness,
    close: async () => {
      await publisher.close().catch(() => undefined);
      if (adminConnected) await admin.disconnect().catch(() => undefined);
      await pool.end().catch(() => undefined);
    },
  };
}

/** Creates or upgrades a service schema: the runtime tables (ledger, outbox), then the service's own migrations. */
export async function migrateServiceSchema(pool: Pool, schema: string, migrationsDir: string): Promise<{ runtime: number[]; service: number[] }> {
  const runtime = await migrate(pool, schema, RUNTIME_MIGRATIONS_DIR, 'runtime');
  const service = await migrate(pool, schema, migrationsDir);
  return { runtime, service };
}
