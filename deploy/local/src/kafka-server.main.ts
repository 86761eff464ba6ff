// A private broker for tests, run by libs/testing as a script (so the test library does not depend on
// the stack's code). Arguments: start <port> <controllerPort> <dir> [secured|secured-tls]. Prints
// {"pid", "env"} as JSON: env holds KAFKA_BROKERS and, secured, the KAFKA_SASL_* settings of every
// principal; secured-tls serves SASL on TLS with a CA of its own, and env adds KAFKA_TLS and
// KAFKA_TLS_CA_FILE.
import { ensureKafkaJars, startKafka, waitForKafka } from './kafka-server';
import { credentialsEnv, ensureKafkaCredentials } from './kafka-security';
import { ensureKafkaTlsMaterial } from './kafka-tls';

async function main(): Promise<void> {
  const [command, port, controllerPort, dir, mode] = process.argv.slice(2);
  if (command !== 'start' || !port || !controllerPort || !dir || (mode !== undefined && mode !== 'secured' && mode !== 'secured-tls')) {
    throw new Error('usage: kafka-server.main.ts start <port> <controllerPort> <dir> [secured|secured-tls]');
  }
  ensureKafkaJars(() => undefined);
  const credentials = mode === undefined ? null : ensureKafkaCredentials(dir, () => undefined);
  const tls = mode === 'secured-tls' ? ensureKafkaTlsMaterial(dir) : null;
  const pid = startKafka({
    port: Number(port),
    controllerPort: Number(controllerPort),
    partitions: 1,
    heap: '256m',
    log: () => undefined,
    dir,
    credentials,
    tls,
  });
  try {
    await waitForKafka(Number(port), credentials, '127.0.0.1', tls);
  } catch (error) {
    // Detached: a broker that never became ready would outlive this script and the test that asked for it.
    process.kill(pid, 'SIGKILL');
    throw error;
  }
  const env = {
    KAFKA_BROKERS: `127.0.0.1:${port}`,
    ...(credentials ? credentialsEnv(credentials) : {}),
    ...(tls ? { KAFKA_TLS: 'true', KAFKA_TLS_CA_FILE: tls.caFile } : {}),
  };
  process.stdout.write(`${JSON.stringify({ pid, env })}\n`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
