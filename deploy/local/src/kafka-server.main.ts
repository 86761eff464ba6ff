// A private broker for tests, run by libs/testing as a script (so the test library does not depend on
// the stack's code). Arguments: start <port> <controllerPort> <dir> [secured]. Prints {"pid", "env"}
// as JSON: env holds KAFKA_BROKERS and, secured, the KAFKA_SASL_* settings of every principal.
import { ensureKafkaJars, startKafka, waitForKafka } from './kafka-server';
import { credentialsEnv, ensureKafkaCredentials } from './kafka-security';

async function main(): Promise<void> {
  const [command, port, controllerPort, dir, mode] = process.argv.slice(2);
  if (command !== 'start' || !port || !controllerPort || !dir || (mode !== undefined && mode !== 'secured')) {
    throw new Error('usage: kafka-server.main.ts start <port> <controllerPort> <dir> [secured]');
  }
  ensureKafkaJars(() => undefined);
  const credentials = mode === 'secured' ? ensureKafkaCredentials(dir, () => undefined) : null;
  const pid = startKafka({
    port: Number(port),
    controllerPort: Number(controllerPort),
    partitions: 1,
    heap: '256m',
    log: () => undefined,
    dir,
    credentials,
  });
  await waitForKafka(Number(port), credentials);
  const env = { KAFKA_BROKERS: `127.0.0.1:${port}`, ...(credentials ? credentialsEnv(credentials) : {}) };
  process.stdout.write(`${JSON.stringify({ pid, env })}\n`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
