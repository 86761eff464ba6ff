import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { asKafkaPrincipal } from '@modelreg/config';
import { KAFKA_PRINCIPALS } from '@modelreg/kafka';
import { REPO_ROOT } from './stack-layout';

export interface SupervisedService {
  name: string;
  /** Compiled entry point under dist/ (npm start builds first). */
  entry: string;
  port: number;
  /** The setting that names its port (INGESTION_PORT…), for running another instance on another port. */
  portVariable: string;
  /** Settings of this process only (another instance's port, SERVICE_INSTANCE), over the supervisor's. */
  env?: Record<string, string>;
}

/** The registry's four services, compiled (build first), each on the port `env` names for it. */
export function registryServices(env: NodeJS.ProcessEnv): SupervisedService[] {
  const portVariables = {
    ingestion: 'INGESTION_PORT',
    'gate-validator': 'GATE_VALIDATOR_PORT',
    'deployment-tracker': 'DEPLOYMENT_TRACKER_PORT',
    projections: 'PROJECTIONS_PORT',
  };
  return Object.entries(portVariables).map(([name, variable]) => ({
    name,
    entry: `dist/services/${name}/src/main.js`,
    port: Number(env[variable]),
    portVariable: variable,
  }));
}

/**
 * Keeps each service running: a service that exits is started again after a back-off that
 * doubles up to 30 s and resets once it has stayed up for a minute.
 */
export class ServiceSupervisor {
  private readonly children = new Map<string, ChildProcess>();
  private stopping = false;
  private readonly pendingRestarts = new Set<NodeJS.Timeout>();
  /** Restarts per service: how often a process had to be started again. */
  readonly restarts = new Map<string, number>();

  constructor(
    private readonly env: NodeJS.ProcessEnv,
    private readonly print: (line: string) => void,
    /** Where the services' stdout and stderr go: a file descriptor, or this process's own. */
    private readonly output: number | 'inherit' = 'inherit',
  ) {}

  start(service: SupervisedService, attempt = 0): void {
    if (this.stopping) return;
    const startedAt = Date.now();
    const child = spawn(process.execPath, [resolve(REPO_ROOT, service.entry)], {
      cwd: REPO_ROOT,
      env: { ...serviceEnv(this.env, service.name.split('#')[0] as string), ...service.env },
      stdio: ['ignore', this.output, this.output],
    });
    this.children.set(service.name, child);
    child.once('exit', (code, signal) => {
      this.children.delete(service.name);
      if (this.stopping) return;
      const nextAttempt = Date.now() - startedAt > 60_000 ? 0 : attempt + 1;
      const delay = Math.min(30_000, 1000 * 2 ** Math.max(0, nextAttempt - 1));
      this.print(`${service.name} exited (${signal ?? code}); restarting in ${delay} ms`);
      this.restarts.set(service.name, (this.restarts.get(service.name) ?? 0) + 1);
      const timer = setTimeout(() => {
        this.pendingRestarts.delete(timer);
        this.start(service, nextAttempt);
      }, delay);
      this.pendingRestarts.add(timer);
    });
  }

  /** Sends a signal to a running service (SIGKILL: a crash); false when it is not running. */
  signal(name: string, signal: NodeJS.Signals): boolean {
    return this.children.get(name)?.kill(signal) ?? false;
  }

  async stopAll(): Promise<void> {
    this.stopping = true;
    for (const timer of this.pendingRestarts) clearTimeout(timer);
    await Promise.all(
      [...this.children.entries()].map(
        ([name, child]) =>
          new Promise<void>((resolveStop) => {
            const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
            child.once('exit', () => {
              clearTimeout(timer);
              this.print(`${name} stopped`);
              resolveStop();
            });
            child.kill('SIGTERM');
          }),
      ),
    );
  }
}

/** Each service talks to Kafka as its own principal (its ACLs), never as the admin. */
function serviceEnv(env: NodeJS.ProcessEnv, name: string): NodeJS.ProcessEnv {
  return (KAFKA_PRINCIPALS as readonly string[]).includes(name) ? asKafkaPrincipal(env, name) : env;
}
