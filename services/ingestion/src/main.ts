import { join } from 'node:path';
import { ContentAddressedStore, createS3Client, pingBucket } from '@modelreg/artifact-store';
import { createJsonLogger } from '@modelreg/logging';
import { BatchConsumer } from '@modelreg/kafka';
import { bootstrapService, connectInfrastructure, exitOnFatal, PeriodicTask, runService } from '@modelreg/service-runtime';
import { loadIngestionConfig } from './config';
import { INGESTION_SCHEMA, SERVICE_NAME } from './ingestion.constants';
import { IngestionModule } from './ingestion.module';
import { handleRunSubmissions } from './runs/run-submission.handler';
import { RunRegistrationService } from './runs/run-registration.service';

async function main(): Promise<void> {
  const config = loadIngestionConfig(process.env);
  const logger = createJsonLogger({ service: SERVICE_NAME, level: config.logLevel });
  const infra = await connectInfrastructure({ serviceName: SERVICE_NAME, bus: config.bus, databaseUrl: config.databaseUrl, schema: INGESTION_SCHEMA, migrationsDir: join(__dirname, 'migrations'), produces: ['lineage', 'deadLetter'], logger, poolSize: 20, kafkaOptionalAtBoot: true });
  const s3 = createS3Client(config.objectStore);
  const store = new ContentAddressedStore(s3, config.objectStore.bucket);
  const relay = infra.outboxRelay(INGESTION_SCHEMA);
  relay.start();
  const readiness = [...infra.readiness, { name: 's3', check: () => pingBucket(s3, config.objectStore.bucket) }];
  const ageMs = config.multipartSweepAgeMinutes * 60_000;
  const sweep = new PeriodicTask('upload sweep', config.multipartSweepIntervalMinutes * 60_000, async () => ({ ...(await store.sweepAbandonedUploads(new Date(Date.now() - ageMs))) }), logger);
  sweep.start();
  let submissions: BatchConsumer | null = null;
  const close = async () => {
    await submissions?.stop();
    await sweep.stop();
    await relay.stop();
    await infra.close();
    s3.destroy();
    logger.info('stopped');
  };
  const app = await bootstrapService({
    module: IngestionModule.forRoot({ pool: infra.pool, codec: infra.codec, topics: infra.topics, store, relay, instance: config.instance, maxEventBytes: config.bus.maxEventBytes }, readiness, close),
    name: SERVICE_NAME,
    description: 'Registers training runs with their full lineage and model artifacts.',
    host: config.http.host,
    port: config.http.port,
    logger,
    jsonLimitBytes: config.maxJsonBytes,
  });
  const registrations = app.get(RunRegistrationService);
  submissions = new BatchConsumer({
    kafka: infra.kafka,
    groupId: `${config.bus.topicPrefix}.ingestion`,
    topics: [infra.topics.runSubmissions],
    codec: infra.codec,
    deadLetterTopic: infra.topics.deadLetter,
    publisher: infra.publisher,
    logger,
    handler: (batch) => handleRunSubmissions(registrations, batch),
    onFatal: (error) => exitOnFatal(logger, close)(error),
  });
  // Registrations and uploads are served while Kafka is down; run submissions are consumed once it answers.
  if (await infra.kafkaProvisioned) await submissions.start();
}

runService(SERVICE_NAME, main);
