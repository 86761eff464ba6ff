import { Inject, Injectable, type OnApplicationShutdown, type Provider } from '@nestjs/common';

const SHUTDOWN_WORK = 'SHUTDOWN_WORK';

/** Runs the service's own shutdown (stop consumers after their batch, commit, disconnect) when Nest closes. */
@Injectable()
class ShutdownHook implements OnApplicationShutdown {
  constructor(@Inject(SHUTDOWN_WORK) private readonly work: () => Promise<void>) {}

  async onApplicationShutdown(): Promise<void> {
    await this.work();
  }
}

export function shutdownProviders(work: () => Promise<void>): Provider[] {
  return [{ provide: SHUTDOWN_WORK, useValue: work }, ShutdownHook];
}

/** Starts a service; a failure to start is logged as JSON and ends the process with status 1. */
export function runService(serviceName: string, start: () => Promise<void>): void {
  start().catch((error: Error) => {
    const entry = {
      time: new Date().toISOString(),
      level: 'error',
      service: serviceName,
      msg: 'failed to start',
      error: { name: error.name, message: error.message },
    };
    process.stderr.write(`${JSON.stringify(entry)}\n`);
    process.exit(1);
  });
}
