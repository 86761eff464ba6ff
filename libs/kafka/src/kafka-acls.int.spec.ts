import { asKafkaPrincipal, readKafkaSecurity } from '@modelreg/config';
import {
  buildEnvelope,
  deterministicUuid,
  EventCodec,
  exampleRunRegistered,
  SchemaCatalog,
  topicNames,
  type GateEvaluated,
} from '@modelreg/events';
import { createJsonLogger } from '@modelreg/logging';
import { startPrivateKafka, type PrivateKafka } from '@modelreg/testing';
import { provisionAcls } from './acl-provisioner';
import { createKafkaClient } from './kafka-client';
import type { KafkaPrincipal } from './kafka-principals';
import { provisionTopics } from './topic-provisioner';

/**
 * The broker itself refuses: a broker of the test's own, run as the stack runs its broker (SASL/SCRAM,
 * StandardAuthorizer, no ACL no access), with the ACLs provisionAcls gives one topic prefix.
 */
describe('the broker enforces who may write and read what', () => {
  const topics = topicNames('acme');
  const codec = new EventCodec(SchemaCatalog.load());
  const logger = createJsonLogger({ service: 'kafka-acls-test', level: 'error' });
  let broker: PrivateKafka;

  const client = (env: Record<string, string>) =>
    createKafkaClient({ brokers: [env['KAFKA_BROKERS'] as string], clientId: 'acl-test', logger, security: readKafkaSecurity(env) });
  const as = (principal: KafkaPrincipal) => client(asKafkaPrincipal(broker.env, principal));

  /** Sends one record; resolves to null when the broker took it, else to its refusal. */
  async function send(principal: KafkaPrincipal, topic: string, value: Buffer): Promise<string | null> {
    const producer = as(principal).producer({ idempotent: true, retry: { retries: 2 } });
    await producer.connect();
    try {
      await producer.send({ topic, acks: -1, messages: [{ key: 'fraud-model', value }] });
      return null;
    } catch (error) {
      return refusal(error);
    } finally {
      await producer.disconnect();
    }
  }

  /** Reads `topic` from its start in a group of the principal's own; resolves to its first record's value, or to the refusal. */
  async function read(principal: KafkaPrincipal, topic: string): Promise<string> {
    const consumer = as(principal).consumer({ groupId: `acme.${principal}`, retry: { retries: 0 } });
    await consumer.connect();
    try {
      return await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`nothing read from ${topic} within 30 s`)), 30_000);
        const settle = (outcome: string) => {
          clearTimeout(timer);
          resolve(outcome);
        };
        consumer.on(consumer.events.CRASH, (event) => settle(refusal(event.payload.error)));
        void consumer
          .subscribe({ topic, fromBeginning: true })
          .then(() => consumer.run({ eachMessage: async ({ message }) => settle(`read ${message.value?.length ?? 0} bytes`) }))
          .catch((error: unknown) => settle(refusal(error)));
      });
    } finally {
      await consumer.disconnect();
    }
  }

  beforeAll(async () => {
    broker = await startPrivateKafka({ secured: true });
    const admin = client(broker.env);
    await provisionTopics(
      admin,
      Object.values(topics).map((name) => ({ name, partitions: 1 })),
    );
    await provisionAcls(admin, 'acme');
  }, 300_000);

  afterAll(async () => {
    await broker?.dispose();
  });

  it('refuses a client that does not authenticate, and one with a wrong password', async () => {
    const anonymous = client({ KAFKA_BROKERS: broker.env['KAFKA_BROKERS'] as string }).admin({ retry: { retries: 0 } });
    await expect(anonymous.connect().then(() => anonymous.listTopics())).rejects.toThrow(/Closed connection|disconnected/i);
    await anonymous.disconnect();
    const impostor = client({ ...asKafkaPrincipal(broker.env, 'gate-validator'), KAFKA_SASL_PASSWORD: 'guessed' }).admin({
      retry: { retries: 0 },
    });
    await expect(impostor.connect()).rejects.toThrow(/SASL SCRAM SHA512 authentication failed/);
    await impostor.disconnect();
  });

  it('refuses a hand-built GateEvaluated on the gates topic from every principal but the gate validator', async () => {
    const forged = codec.encode({ type: 'GateEvaluated', data: passedGate() });
    for (const principal of ['trainer', 'controller', 'ingestion', 'deployment-tracker', 'projections'] as const) {
      expect([principal, await send(principal, topics.gates, forged)]).toEqual([
        principal,
        expect.stringMatching(/TOPIC_AUTHORIZATION_FAILED|Topic authorization failed/),
      ]);
    }
    expect(await send('gate-validator', topics.gates, forged)).toBeNull();
  });

  it('lets a training cluster submit runs and nothing else', async () => {
    expect(await send('trainer', topics.runSubmissions, Buffer.from('a run'))).toBeNull();
    const runRegistered = codec.encode({ type: 'RunRegistered', data: exampleRunRegistered('fraud-model', 1) });
    expect(await send('trainer', topics.lineage, runRegistered)).toMatch(/TOPIC_AUTHORIZATION_FAILED|Topic authorization failed/);
    expect(await send('trainer', topics.deploymentReports, Buffer.from('a report'))).toMatch(
      /TOPIC_AUTHORIZATION_FAILED|Topic authorization failed/,
    );
  });

  it('lets a deployment controller report deployments but never write lineage', async () => {
    expect(await send('controller', topics.deploymentReports, Buffer.from('a report'))).toBeNull();
    const runRegistered = codec.encode({ type: 'RunRegistered', data: exampleRunRegistered('fraud-model', 2) });
    expect(await send('controller', topics.lineage, runRegistered)).toMatch(/TOPIC_AUTHORIZATION_FAILED|Topic authorization failed/);
  });

  it('lets a service read what it consumes, and not a topic it does not', async () => {
    expect(await read('ingestion', topics.runSubmissions)).toBe('read 5 bytes');
    expect(await read('ingestion', topics.gates)).toMatch(/TOPIC_AUTHORIZATION_FAILED|Topic authorization failed|Not authorized/);
    expect(await read('gate-validator', topics.deploymentReports)).toMatch(
      /TOPIC_AUTHORIZATION_FAILED|Topic authorization failed|Not authorized/,
    );
  });
});

/** What the error says, with the broker's error code when kafkajs wrapped it. */
function refusal(error: unknown): string {
  const { type, message, cause } = error as { type?: string; message?: string; cause?: { type?: string } };
  return [type ?? cause?.type ?? '', message ?? String(error)].join(' ').trim();
}

function passedGate(): GateEvaluated {
  return {
    envelope: buildEnvelope('GateEvaluated', {
      eventId: deterministicUuid('forged-gate'),
      occurredAt: 1_700_000_000_000,
      producer: 'not-the-gate-validator',
      correlationId: 'forged',
      modelName: 'fraud-model',
      modelVersion: 2,
    }),
    modelName: 'fraud-model',
    candidateVersion: 2,
    baselineVersion: null,
    baselineRule: 'none',
    policy: { policyId: 'default', policyVersion: 1, contentHash: '0'.repeat(64) },
    trigger: 'RunRegistered',
    checks: [],
    verdict: 'PASSED',
    eligibleForDeployment: true,
    baselines: [],
  };
}
