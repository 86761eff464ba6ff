// npm start: the local stack (unless pointed elsewhere) and all four services, restarted if they exit.
import { isPortOpen, stackDown, stackStatus, stackUp, waitUntil } from './src';
import { ServiceSupervisor, type SupervisedService } from './src/service-supervisor';

const print = (line: string) => console.log(`[modelreg] ${line}`);

async function main(): Promise<void> {
  const stackWasUp = await stackStatus(() => undefined);
  const state = await stackUp(process.env, print);
  const env = { ...process.env, ...state.env };
  const services: SupervisedService[] = [
    { name: 'ingestion', entry: 'services/ingestion/src/main.ts', port: Number(env['INGESTION_PORT']) },
    { name: 'gate-validator', entry: 'services/gate-validator/src/main.ts', port: Number(env['GATE_VALIDATOR_PORT']) },
    { name: 'deployment-tracker', entry: 'services/deployment-tracker/src/main.ts', port: Number(env['DEPLOYMENT_TRACKER_PORT']) },
    { name: 'projections', entry: 'services/projections/src/main.ts', port: Number(env['PROJECTIONS_PORT']) },
  ];
  const supervisor = new ServiceSupervisor(env, print);
  let shuttingDown = false;
  const shutdown = async () => {
    if (shuttingDown) return;
    shuttingDown = true;
    print('stopping services...');
    await supervisor.stopAll();
    if (!stackWasUp && process.env['MODELREG_KEEP_STACK'] !== '1') await stackDown(print);
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
  for (const service of services) supervisor.start(service);
  await Promise.all(services.map((service) => waitUntil(`${service.name} on port ${service.port}`, () => isReady(service.port), 120_000)));
  print('the registry is up:');
  for (const service of services) print(`  ${service.name.padEnd(19)} http://127.0.0.1:${service.port}  (API docs: http://127.0.0.1:${service.port}/docs)`);
  print('press Ctrl-C to stop');
}

async function isReady(port: number): Promise<boolean> {
  if (!(await isPortOpen(port))) return false;
  const response = await fetch(`http://127.0.0.1:${port}/health/ready`).catch(() => null);
  return response?.status === 200;
}

main().catch((error: Error) => {
  console.error(`[modelreg] ${error.message}`);
  process.exit(1);
});
