import { join } from 'node:path';
import { createJsonLogger } from '@modelreg/logging';
import { bootstrapService, connectInfrastructure, runService } from '@modelreg/service-runtime';
import { loadDeploymentTrackerConfig } from './config';
import { DEPLOYMENTS_SCHEMA, SERVICE_NAME } from './deployment-tracker.constants';
import { DeploymentTrackerModule } from './deployment-tracker.module';

async function main(): Promise<void> {
  const config = loadDeploymentTrackerConfig(process.env);
  const logger = createJsonLogger({ service: SERVICE_NAME, level: config.logLevel });
  const infra = await connectInfrastructure({ serviceName: SERVICE_NAME, bus: config.bus, databaseUrl: config.databaseUrl, schema: DEPLOYMENTS_SCHEMA, migrationsDir: join(__dirname, 'migrations'), logger });
  const close = async () => {
    await infra.close();
    logger.info('stopped');
  };
  await bootstrapService({
    module: DeploymentTrackerModule.forRoot(infra.readiness, close),
    name: SERVICE_NAME,
    description: 'Tracks deployments: promotions, canaries, rollouts, rollbacks and online results per service surface.',
    host: config.http.host,
    port: config.http.port,
    logger,
  });
}

runService(SERVICE_NAME, main);
