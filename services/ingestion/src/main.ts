import { join } from 'node:path';
import { ContentAddressedStore, createS3Client, pingBucket } from '@modelreg/artifact-store';
import { createJsonLogger } from '@modelreg/logging';
import {
  bootstrapService,
  connectInfrastructure,
  exitOnFatal,
  ledgerConsumer,
  PeriodicTask,
  runService,
  type LedgerPipeline,
} from '@modelreg/service-runtime';
import { loadIngestionConfig } from './config';
import { INGESTION_SCHEMA, SERVICE_NAME } from './ingestion.constants';
import { IngestionModule } from './ingestion.module';
import { applyRunSubmissions } from './runs/run-submission.handler';
import { RunRegistrationService } from './runs/run-registration.service';

async function main(): Promise<void> {
  const config = loadIngestionConfig(process.env);
  const logger = createJsonLogger({ service: SERVICE_NAME, level: config.logLevel });
  const infra = await connectInfrastructure({
    serviceName: SERVICE_NAME,
    bus: config.bus,
    tracing: config.tracing,
    databaseUrl: config.databaseUrl,
    schema: INGESTION_SCHEMA,
    migrationsDir: join(__dirname, 'migrations'),
    produces: ['lineage', 'deadLetter'],
    logger,
    poolSize: 20,
    kafkaOptionalAtBoot: true,
  });
  const s3 = createS3Client(config.objectStore);
  const store = new ContentAddressedStore(s3, config.objectStore.bucket);
  const relay = infra.outboxRelay(INGESTION_SCHEMA);
  relay.start();
  const readiness = [...infra.readiness, { name: 's3', check: () => pingBucket(s3, config.objectStore.bucket) }];
  const ageMs = config.multipartSweepAgeMinutes * 60_000;
  const sweep = new PeriodicTask(
    'upload sweep',
    config.multipartSweepIntervalMinutes * 60_000,
    async () => ({ ...(await store.sweepAbandonedUploads(new Date(Date.now() - ageMs))) }),
    logger,
  );
  sweep.start();
  let submissions: LedgerPipeline | null = null;
  const close = async () => {
    await submissions?.stop();
    await sweep.stop();
    await relay.stop();
    await infra.close();
    s3.destroy();
    logger.info('stopped');
  };
  const app = await bootstrapService({
    module: IngestionModule.forRoot(
      {
        pool: infra.pool,
        codec: infra.codec,
        topics: infra.topics,
        store,
        relay,
        instance: config.instance,
        maxEventBytes: config.bus.maxEventBytes,
      },
      readiness,
      close,
    ),
    name: SERVICE_NAME,
    description: 'Registers training runs with their full lineage and model artifacts.',
    host: config.http.host,
    port: config.http.port,
    logger,
    metrics: infra.metrics,
    security: config.http.security,
    jsonLimitBytes: config.maxJsonBytes,
  });
  const registrations = app.get(RunRegistrationService);
  submissions = ledgerConsumer({
    infra,
    schema: INGESTION_SCHEMA,
    groupId: `${config.bus.topicPrefix}.ingestion`,
    topics: [infra.topics.runSubmissions],
    logger,
    apply: (client, events) => applyRunSubmissions(registrations, client, events),
    relay,
    stallSeconds: config.consumerStallSeconds,
    onFatal: (error) => exitOnFatal(logger, close)(error),
  });
  readiness.push(submissions.readiness);
  // Registrations and uploads are served while Kafka is down; run submissions are consumed once it answers.
  if (await infra.kafkaProvisioned) await submissions.start();
}

runService(SERVICE_NAME, main);
