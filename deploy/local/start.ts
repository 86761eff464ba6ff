// npm start: the local stack (unless pointed elsewhere) and all four services, restarted if they exit.
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { isPortOpen, REPO_ROOT, stackDown, stackStatus, stackUp, waitUntil } from './src';
import { registryServices, ServiceSupervisor } from './src/service-supervisor';

const print = (line: string) => console.log(`[modelreg] ${line}`);

async function main(): Promise<void> {
  const stackWasUp = await stackStatus(() => undefined);
  const state = await stackUp(process.env, print);
  execFileSync(process.execPath, [resolve(REPO_ROOT, 'tools/build.js')], { stdio: 'inherit' });
  // The services get the issuer's settings, not the development tokens.
  const serviceEnv = Object.fromEntries(Object.entries(state.env).filter(([name]) => !name.startsWith('MODELREG_TOKEN_')));
  const env: NodeJS.ProcessEnv = { ...process.env, ...serviceEnv, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
  const services = registryServices(env);
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
  for (const service of services)
    print(`  ${service.name.padEnd(19)} http://127.0.0.1:${service.port}  (API docs: http://127.0.0.1:${service.port}/docs)`);
  const tokens = Object.entries(state.env).filter(([name]) => name.startsWith('MODELREG_TOKEN_'));
  if (tokens.length > 0) {
    print('development tokens (30 days; also in .local/stack.env, which the CLI reads): send as Authorization: Bearer <token>');
    for (const [name, token] of tokens) print(`  ${name}=${token}`);
  }
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
