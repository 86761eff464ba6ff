import { join } from 'node:path';
import { createJsonLogger } from '@modelreg/logging';
import { bootstrapService, connectInfrastructure, exitOnFatal, runService } from '@modelreg/service-runtime';
import { loadProjectionsConfig } from './config';
import { PROJECTIONS_SCHEMA, SERVICE_NAME } from './projections.constants';
import { ProjectionsModule } from './projections.module';
import { ProjectionQueries } from './query/projection-queries';
import { ProjectionConsumer } from './replay/projection-consumer';
import { ProjectionRebuilder } from './replay/projection-rebuilder';

async function main(): Promise<void> {
  const config = loadProjectionsConfig(process.env);
  const logger = createJsonLogger({ service: SERVICE_NAME, level: config.logLevel });
  const migrationsDir = join(__dirname, 'migrations');
  const infra = await connectInfrastructure({ serviceName: SERVICE_NAME, bus: config.bus, databaseUrl: config.databaseUrl, schema: PROJECTIONS_SCHEMA, migrationsDir, produces: ['deadLetter'], logger, poolSize: 20 });
  let close: () => Promise<void> = async () => undefined;
  const deps = { infra, batchEvents: config.batchEvents, stallSeconds: config.consumerStallSeconds, logger, onFatal: (error: Error) => exitOnFatal(logger, () => close())(error) };
  const live = new ProjectionConsumer(deps, PROJECTIONS_SCHEMA, config.consumerGroup);
  const rebuilder = new ProjectionRebuilder(deps, live, migrationsDir, logger);
  close = async () => {
    await live.stop();
    await infra.close();
    logger.info('stopped');
  };
  const readiness = [...infra.readiness, live.readiness];
  await bootstrapService({
    module: ProjectionsModule.forRoot(new ProjectionQueries(infra.pool, infra.kafka, infra.codec), rebuilder, readiness, () => close()),
    name: SERVICE_NAME,
    description: 'Read models of the registry, built from the event log: lineage, decisions, deployments, online results, impact search, lineage diff, audit export and replay.',
    host: config.http.host,
    port: config.http.port,
    logger,
  });
  await live.start();
}

runService(SERVICE_NAME, main);
