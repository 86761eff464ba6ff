import { join } from 'node:path';
import { createJsonLogger } from '@modelreg/logging';
import { bootstrapService, connectInfrastructure, exitOnFatal, ledgerConsumer, runService } from '@modelreg/service-runtime';
import { loadGateValidatorConfig } from './config';
import { GateEvaluationService } from './decisions/gate-evaluation.service';
import { GATES_SCHEMA, SERVICE_NAME } from './gate-validator.constants';
import { GateValidatorModule } from './gate-validator.module';

async function main(): Promise<void> {
  const config = loadGateValidatorConfig(process.env);
  const logger = createJsonLogger({ service: SERVICE_NAME, level: config.logLevel });
  const infra = await connectInfrastructure({
    serviceName: SERVICE_NAME,
    bus: config.bus,
    tracing: config.tracing,
    databaseUrl: config.databaseUrl,
    schema: GATES_SCHEMA,
    migrationsDir: join(__dirname, 'migrations'),
    produces: ['gates', 'deadLetter'],
    logger,
  });
  const relay = infra.outboxRelay(GATES_SCHEMA);
  const deps = {
    pool: infra.pool,
    kafka: infra.kafka,
    codec: infra.codec,
    topics: infra.topics,
    relay,
    producer: `${SERVICE_NAME}/${config.instance}`,
    maxEventBytes: config.bus.maxEventBytes,
    metrics: infra.metrics,
  };
  let close: () => Promise<void> = async () => undefined;
  const readiness = [...infra.readiness];
  const app = await bootstrapService({
    module: GateValidatorModule.forRoot(deps, readiness, () => close()),
    name: SERVICE_NAME,
    description:
      'Evaluates promotion gates: candidates against a persisted baseline, under versioned policies, each decision with its provenance.',
    host: config.http.host,
    port: config.http.port,
    logger,
    metrics: infra.metrics,
    security: config.http.security,
  });
  const evaluations = app.get(GateEvaluationService);
  const pipeline = ledgerConsumer({
    infra,
    schema: GATES_SCHEMA,
    groupId: config.consumerGroup,
    topics: [infra.topics.lineage, infra.topics.deployments],
    logger,
    apply: (client, events) => evaluations.applyEvents(client, events),
    relay,
    stallSeconds: config.consumerStallSeconds,
    onFatal: (error) => exitOnFatal(logger, () => close())(error),
    // Safe concurrently: a model's runs are on one lineage partition; a deployments batch of the same model
    // writes other rows (placements), and sealing its GateEvaluated locks the model's chain head.
    partitionsConcurrently: 3,
  });
  close = async () => {
    await pipeline.stop();
    await infra.close();
    logger.info('stopped');
  };
  readiness.push(pipeline.readiness);
  await pipeline.start();
}

runService(SERVICE_NAME, main);
