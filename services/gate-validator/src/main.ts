import { join } from 'node:path';
import { createJsonLogger } from '@modelreg/logging';
import { bootstrapService, connectInfrastructure, runService } from '@modelreg/service-runtime';
import { loadGateValidatorConfig } from './config';
import { GATES_SCHEMA, SERVICE_NAME } from './gate-validator.constants';
import { GateValidatorModule } from './gate-validator.module';

async function main(): Promise<void> {
  const config = loadGateValidatorConfig(process.env);
  const logger = createJsonLogger({ service: SERVICE_NAME, level: config.logLevel });
  const infra = await connectInfrastructure({ serviceName: SERVICE_NAME, bus: config.bus, databaseUrl: config.databaseUrl, schema: GATES_SCHEMA, migrationsDir: join(__dirname, 'migrations'), logger });
  const close = async () => {
    await infra.close();
    logger.info('stopped');
  };
  await bootstrapService({
    module: GateValidatorModule.forRoot(infra.readiness, close),
    name: SERVICE_NAME,
    description: 'Evaluates promotion gates: candidates against a persisted baseline, under versioned policies.',
    host: config.http.host,
    port: config.http.port,
    logger,
  });
}

runService(SERVICE_NAME, main);
