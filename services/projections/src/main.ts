import { join } from 'node:path';
import { createJsonLogger } from '@modelreg/logging';
import { bootstrapService, connectInfrastructure, exitOnFatal, PeriodicTask, runService } from '@modelreg/service-runtime';
import { loadProjectionsConfig } from './config';
import { PROJECTIONS_SCHEMA, SERVICE_NAME } from './projections.constants';
import { ProjectionsModule } from './projections.module';
import { ProjectionQueries } from './query/projection-queries';
import { ProjectionConsumer } from './replay/projection-consumer';
import { ProjectionRebuilder } from './replay/projection-rebuilder';
import { ReplayRetention } from './replay/replay-retention';

async function main(): Promise<void> {
  const config = loadProjectionsConfig(process.env);
  const logger = createJsonLogger({ service: SERVICE_NAME, level: config.logLevel });
  const migrationsDir = join(__dirname, 'migrations');
  const infra = await connectInfrastructure({
    serviceName: SERVICE_NAME,
    bus: config.bus,
    tracing: config.tracing,
    databaseUrl: config.databaseUrl,
    schema: PROJECTIONS_SCHEMA,
    migrationsDir,
    produces: ['deadLetter'],
    logger,
    poolSize: 20,
    kafkaOptionalAtBoot: true,
  });
  let close: () => Promise<void> = async () => undefined;
  const deps = {
    infra,
    batchEvents: config.batchEvents,
    fetchBytesPerPartition: config.fetchBytesPerPartition,
    stallSeconds: config.consumerStallSeconds,
    logger,
    onFatal: (error: Error) => exitOnFatal(logger, () => close())(error),
  };
  const live = new ProjectionConsumer(deps, PROJECTIONS_SCHEMA, config.consumerGroup);
  const rebuilder = new ProjectionRebuilder(deps, live, migrationsDir, logger);
  infra.metrics.watchValue(
    'modelreg_replay_events_applied',
    'Events the replay in progress (or the last one) has applied to its rebuild schema.',
    () => rebuilder.current().eventsApplied ?? 0,
  );
  const retention = new ReplayRetention(infra.pool, infra.kafka, config.consumerGroup, config.replayRetentionHours * 3_600_000, () =>
    rebuilder.activeGeneration(),
  );
  const cleanup = new PeriodicTask(
    'replay retention',
    config.replayCleanupIntervalMinutes * 60_000,
    async () => ({ ...(await retention.run()) }),
    logger,
  );
  cleanup.start();
  close = async () => {
    await cleanup.stop();
    await live.stop();
    await infra.close();
    logger.info('stopped');
  };
  const readiness = [
    ...infra.readiness,
    // The live consumer is stopped on purpose while a replay switches schemas.
    { name: 'consumer', check: async () => (rebuilder.current().state === 'switching' ? undefined : live.readiness.check()) },
    // Informational: how far the read models are behind the log (no capability needs it).
    { name: 'lag', check: async () => (live.isRunning() ? { events: await live.lag() } : { events: null, consumer: 'not running' }) },
  ];
  await bootstrapService({
    module: ProjectionsModule.forRoot(
      new ProjectionQueries(infra.pool, infra.kafka, infra.codec, infra.keyring),
      rebuilder,
      readiness,
      () => close(),
    ),
    name: SERVICE_NAME,
    description:
      'Read models of the registry, built from the event log: lineage, decisions, ' +
      'deployments, online results, impact search, lineage diff, audit export and replay.',
    host: config.http.host,
    port: config.http.port,
    logger,
    metrics: infra.metrics,
    security: config.http.security,
  });
  // Reads are served while Kafka is down; the read models catch up once it answers.
  if (await infra.kafkaProvisioned) await live.start();
}

runService(SERVICE_NAME, main);
