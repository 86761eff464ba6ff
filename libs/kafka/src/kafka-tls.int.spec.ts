import { readKafkaSecurity } from '@modelreg/config';
import { createJsonLogger } from '@modelreg/logging';
import { startPrivateKafka, type PrivateKafka } from '@modelreg/testing';
import { createKafkaClient } from './kafka-client';
import { provisionTopics } from './topic-provisioner';

/**
 * The clients' TLS settings (KAFKA_TLS, KAFKA_TLS_CA_FILE) against a real broker serving SASL on TLS
 * (SASL_SSL) with a certificate from a CA of its own, the way a production cluster is reached: the
 * services build their clients through the same readKafkaSecurity and createKafkaClient.
 */
describe('Kafka over TLS', () => {
  /** kafkajs logs each refused connection: kept here, not printed. */
  const logged: string[] = [];
  const logger = createJsonLogger({ service: 'kafka-tls-test', level: 'error', write: (line) => logged.push(line) });
  const topic = 'tls-proof.v1';
  let broker: PrivateKafka;

  const client = (env: Record<string, string | undefined>) =>
    createKafkaClient({
      brokers: [broker.env['KAFKA_BROKERS'] as string],
      clientId: 'tls-test',
      logger,
      security: readKafkaSecurity(
        Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined)) as Record<string, string>,
      ),
    });

  beforeAll(async () => {
    broker = await startPrivateKafka({ secured: true, tls: true });
    await provisionTopics(client(broker.env), [{ name: topic, partitions: 1 }]);
  }, 300_000);

  afterAll(async () => {
    await broker?.dispose();
  });

  it('appends and reads a record for a client that trusts the broker’s CA', async () => {
    expect(broker.env).toMatchObject({ KAFKA_TLS: 'true', KAFKA_TLS_CA_FILE: expect.stringMatching(/ca\.pem$/) });
    const kafka = client(broker.env);
    const producer = kafka.producer({ idempotent: true });
    await producer.connect();
    await producer.send({ topic, acks: -1, messages: [{ key: 'fraud-model', value: 'over tls' }] });
    await producer.disconnect();
    const consumer = kafka.consumer({ groupId: 'tls-proof-reader' });
    await consumer.connect();
    try {
      const value = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('nothing read within 30 s')), 30_000);
        void consumer
          .subscribe({ topic, fromBeginning: true })
          .then(() =>
            consumer.run({
              eachMessage: async ({ message }) => {
                clearTimeout(timer);
                resolve(message.value?.toString() ?? '');
              },
            }),
          )
          .catch(reject);
      });
      expect(value).toBe('over tls');
    } finally {
      await consumer.disconnect();
    }
  });

  it('refuses the broker’s certificate when the client does not trust its CA (the system’s CAs only)', async () => {
    const untrusting = client({ ...broker.env, KAFKA_TLS_CA_FILE: undefined }).admin({ retry: { retries: 0 } });
    await expect(untrusting.connect()).rejects.toThrow(/certificate/i);
    await untrusting.disconnect();
    expect(logged.join('\n')).toContain('self-signed certificate in certificate chain');
  });

  it('gets nowhere without TLS: the listener speaks nothing else', async () => {
    const plain = client({ ...broker.env, KAFKA_TLS: undefined, KAFKA_TLS_CA_FILE: undefined }).admin({ retry: { retries: 0 } });
    await expect(plain.connect().then(() => plain.listTopics())).rejects.toThrow();
    await plain.disconnect();
  });
});
