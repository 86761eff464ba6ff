// The four services on an isolated slice of the local stack, for the Python client's tests
// (clients/python/tests/conftest.py). Prints one JSON line with their URLs and the Kafka settings
// (kafkaSasl: the trainer principal's SASL settings, null on a broker without authentication),
// then runs until stdin closes or SIGTERM, and stops the services and drops the test data.
import { asKafkaPrincipal, readKafkaSecurity } from '@modelreg/config';
import { bearer, createTestEnvironment, startService, type RunningService, type ServiceName } from '@modelreg/testing';

const SERVICES: ServiceName[] = ['ingestion', 'gate-validator', 'deployment-tracker', 'projections'];

async function main(): Promise<void> {
  const environment = await createTestEnvironment('python');
  const running: RunningService[] = [];
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      await Promise.all(running.map((service) => service.stop()));
      await environment.dispose();
    })());
  process.once('SIGTERM', () => void stop().then(() => process.exit(0)));
  process.stdin.on('end', () => void stop().then(() => process.exit(0)));
  process.stdin.resume();
  try {
    running.push(...(await Promise.all(SERVICES.map((name) => startService(name, environment.env, { timeoutMs: 120_000 })))));
  } catch (error) {
    await stop();
    throw error;
  }
  const urls = Object.fromEntries(running.map((service) => [service.name, service.url]));
  // The operator token (every role): the Python suite tests the client, not who may call what.
  const token = bearer().authorization.slice('Bearer '.length);
  // The client submits runs as a training cluster does: as the trainer principal, where the broker authenticates.
  const trainer = readKafkaSecurity(asKafkaPrincipal(environment.env, 'trainer'))?.sasl ?? null;
  const kafkaSasl = trainer && { mechanism: trainer.mechanism.toUpperCase(), username: trainer.username, password: trainer.password };
  const settings = {
    ...urls,
    kafkaBrokers: environment.env['KAFKA_BROKERS'],
    topicPrefix: environment.env['TOPIC_PREFIX'],
    token,
    kafkaSasl,
  };
  process.stdout.write(`${JSON.stringify(settings)}\n`);
}

main().catch((error: Error) => {
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
});
