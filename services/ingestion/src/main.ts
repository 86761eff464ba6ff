import { join } from 'node:path';
import { ContentAddressedStore, createS3Client, pingBucket } from '@modelreg/artifact-store';
import { createJsonLogger } from '@modelreg/logging';
import { bootstrapService, connectInfrastructure, exitOnFatal, ledgerConsumer, OutboxRelay, runService } from '@modelreg/service-runtime';
import { loadIngestionConfig } from './config';
import { INGESTION_SCHEMA, SERVICE_NAME } from './ingestion.constants';
import { IngestionModule } from './ingestion.module';
import { applyRunSubmissions } from './runs/run-submission.handler';
import { RunRegistrationService } from './runs/run-registration.service';

async function main(): Promise<void> {
  const config = loadIngestionConfig(process.env);
  const logger = createJsonLogger({ service: SERVICE_NAME, level: config.logLevel });
  const infra = await connectInfrastructure({ serviceName: SERVICE_NAME, bus: config.bus, databaseUrl: config.databaseUrl, schema: INGESTION_SCHEMA, migrationsDir: join(__dirname, 'migrations'), produces: ['lineage', 'deadLetter'], logger, poolSize: 20 });
  const s3 = createS3Client(config.objectStore);
  const store = new ContentAddressedStore(s3, config.objectStore.bucket);
  const relay = new OutboxRelay(infra.pool, INGESTION_SCHEMA, infra.publisher, logger);
  const readiness = [...infra.readiness, { name: 's3', check: () => pingBucket(s3, config.objectStore.bucket) }];
  let stopConsumer: () => Promise<void> = () => relay.stop();
  const close = async () => {
    await stopConsumer();
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
  const submissions = ledgerConsumer({
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
  stopConsumer = () => submissions.stop();
  readiness.push(submissions.readiness);
  await submissions.start();
}

runService(SERVICE_NAME, main);
