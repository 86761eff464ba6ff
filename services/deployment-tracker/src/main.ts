import { join } from 'node:path';
import { createJsonLogger } from '@modelreg/logging';
import { bootstrapService, connectInfrastructure, exitOnFatal, ledgerConsumer, runService } from '@modelreg/service-runtime';
import { loadDeploymentTrackerConfig } from './config';
import { DEPLOYMENTS_SCHEMA, SERVICE_NAME } from './deployment-tracker.constants';
import { DeploymentTrackerModule } from './deployment-tracker.module';
import { LogEventsHandler } from './reports/log-events.handler';
import { decisionTrust } from './state/decision-trust';

async function main(): Promise<void> {
  const config = loadDeploymentTrackerConfig(process.env);
  const logger = createJsonLogger({ service: SERVICE_NAME, level: config.logLevel });
  const infra = await connectInfrastructure({
    serviceName: SERVICE_NAME,
    bus: config.bus,
    tracing: config.tracing,
    databaseUrl: config.databaseUrl,
    schema: DEPLOYMENTS_SCHEMA,
    migrationsDir: join(__dirname, 'migrations'),
    produces: ['deployments', 'deadLetter'],
    logger,
  });
  const relay = infra.outboxRelay(DEPLOYMENTS_SCHEMA);
  const deps = {
    pool: infra.pool,
    codec: infra.codec,
    topics: infra.topics,
    relay,
    producer: `${SERVICE_NAME}/${config.instance}`,
    maxClockSkewMs: config.maxClockSkewMs,
    maxEventBytes: config.bus.maxEventBytes,
    decisionTrust: decisionTrust(infra.codec, infra.keyring),
  };
  let close: () => Promise<void> = async () => undefined;
  const readiness = [...infra.readiness];
  const app = await bootstrapService({
    module: DeploymentTrackerModule.forRoot(deps, readiness, () => close()),
    name: SERVICE_NAME,
    description:
      'Tracks deployments: promotions for controllers, canaries, rollouts, rollbacks, online results and guardrails per service surface.',
    host: config.http.host,
    port: config.http.port,
    logger,
    metrics: infra.metrics,
    security: config.http.security,
  });
  const handler = app.get(LogEventsHandler);
  const pipeline = ledgerConsumer({
    infra,
    schema: DEPLOYMENTS_SCHEMA,
    groupId: config.consumerGroup,
    topics: [infra.topics.lineage, infra.topics.gates, infra.topics.deploymentReports],
    logger,
    apply: (client, events) => handler.applyEvents(client, events),
    relay,
    stallSeconds: config.consumerStallSeconds,
    onFatal: (error) => exitOnFatal(logger, () => close())(error),
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
