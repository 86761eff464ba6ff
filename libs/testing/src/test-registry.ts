import { startService, type RunningService } from './service-process';
import { createTestEnvironment, type TestEnvironment } from './test-environment';

/** The four services of the registry, as processes, on one isolated test environment. */
export interface TestRegistry {
  environment: TestEnvironment;
  ingestion: RunningService;
  gates: RunningService;
  tracker: RunningService;
  projections: RunningService;
  /** Stops every service, then drops the environment's database, bucket and topics. */
  stop(): Promise<void>;
}

/** Starts ingestion, gate-validator, deployment-tracker and projections on a fresh test environment. */
export async function startRegistry(label: string): Promise<TestRegistry> {
  const environment = await createTestEnvironment(label);
  const started = await Promise.allSettled(
    (['ingestion', 'gate-validator', 'deployment-tracker', 'projections'] as const).map((name) => startService(name, environment.env)),
  );
  const running = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const stop = async () => {
    await Promise.all(running.map((service) => service.stop()));
    await environment.dispose();
  };
  const failed = started.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failed) {
    await stop();
    throw failed.reason;
  }
  const [ingestion, gates, tracker, projections] = running as [RunningService, RunningService, RunningService, RunningService];
  return { environment, ingestion, gates, tracker, projections, stop };
}
