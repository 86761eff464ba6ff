import { join } from 'node:path';
import { BatchConsumer } from '@modelreg/kafka';
import { createJsonLogger } from '@modelreg/logging';
import { bootstrapService, connectInfrastructure, EventLedger, exitOnFatal, runService } from '@modelreg/service-runtime';
import { loadProjectionsConfig } from './config';
import { PROJECTIONS_SCHEMA, SERVICE_NAME } from './projections.constants';
import { ProjectionsModule } from './projections.module';
import { ProjectionQueries } from './query/projection-queries';
import { readModelWriter } from './read-models/projection-writer';

async function main(): Promise<void> {
  const config = loadProjectionsConfig(process.env);
  const logger = createJsonLogger({ service: SERVICE_NAME, level: config.logLevel });
  const infra = await connectInfrastructure({ serviceName: SERVICE_NAME, bus: config.bus, databaseUrl: config.databaseUrl, schema: PROJECTIONS_SCHEMA, migrationsDir: join(__dirname, 'migrations'), logger, poolSize: 20 });
  const ledger = new EventLedger(infra.pool, PROJECTIONS_SCHEMA, config.consumerGroup);
  let close: () => Promise<void> = async () => undefined;
  const consumer = new BatchConsumer({
    kafka: infra.kafka,
    groupId: config.consumerGroup,
    topics: [infra.topics.lineage, infra.topics.gates, infra.topics.deployments],
    codec: infra.codec,
    deadLetterTopic: infra.topics.deadLetter,
    publisher: infra.publisher,
    logger,
    handler: ledger.handler(readModelWriter(PROJECTIONS_SCHEMA)),
    onFatal: (error) => exitOnFatal(logger, () => close())(error),
  });
  close = async () => {
    await consumer.stop();
    await infra.close();
    logger.info('stopped');
  };
  const readiness = [...infra.readiness, { name: 'consumer', check: async () => { if (!consumer.isRunning()) throw new Error('consumer is not running'); } }];
  await bootstrapService({
    module: ProjectionsModule.forRoot(new ProjectionQueries(infra.pool, infra.kafka, infra.codec), readiness, () => close()),
    name: SERVICE_NAME,
    description: 'Read models of the registry, built from the event log: models, versions with their lineage.',
    host: config.http.host,
    port: config.http.port,
    logger,
  });
  await consumer.start();
}

runService(SERVICE_NAME, main);
