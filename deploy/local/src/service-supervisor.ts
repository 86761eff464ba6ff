import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { REPO_ROOT } from './stack-layout';

export interface SupervisedService {
  name: string;
  /** Compiled entry point under dist/ (npm start builds first). */
  entry: string;
  port: number;
}

/**
 * Keeps each service running: a service that exits is started again after a back-off that
 * doubles up to 30 s and resets once it has stayed up for a minute.
 */
export class ServiceSupervisor {
  private readonly children = new Map<string, ChildProcess>();
  private stopping = false;

  constructor(
    private readonly env: NodeJS.ProcessEnv,
    private readonly print: (line: string) => void,
  ) {}

  start(service: SupervisedService, attempt = 0): void {
    if (this.stopping) return;
    const startedAt = Date.now();
    const child = spawn(process.execPath, [resolve(REPO_ROOT, service.entry)], { cwd: REPO_ROOT, env: this.env, stdio: ['ignore', 'inherit', 'inherit'] });
    this.children.set(service.name, child);
    child.once('exit', (code, signal) => {
      this.children.delete(service.name);
      if (this.stopping) return;
      const nextAttempt = Date.now() - startedAt > 60_000 ? 0 : attempt + 1;
      const delay = Math.min(30_000, 1000 * 2 ** Math.max(0, nextAttempt - 1));
      this.print(`${service.name} exited (${signal ?? code}); restarting in ${delay} ms`);
      setTimeout(() => this.start(service, nextAttempt), delay);
    });
  }

  async stopAll(): Promise<void> {
    this.stopping = true;
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
