import type { Logger } from '@modelreg/logging';

/**
 * Housekeeping that runs every `intervalMs` (first run after one interval), never overlapping
 * itself. A failed run (a dependency down) is logged and tried again next time; it never ends
 * the process. `stop()` waits for a run in progress.
 */
export class PeriodicTask {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly name: string,
    private readonly intervalMs: number,
    private readonly work: () => Promise<Record<string, unknown>>,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.runOnce(), this.intervalMs);
    this.timer.unref();
  }

  /** One run now (also what the timer calls); resolves when it is done, whether it worked or not. */
  async runOnce(): Promise<void> {
    if (this.running) return this.running;
    this.running = this.work()
      .then((outcome) => this.logger.info(`${this.name} done`, outcome))
      .catch((error: unknown) => this.logger.warn(`${this.name} failed; trying again in ${this.intervalMs} ms`, { error }))
      .finally(() => (this.running = null));
    return this.running;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}
