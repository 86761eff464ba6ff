import { EventCodec, exampleRunRegistered, SchemaCatalog, topicNames } from '@modelreg/events';
import { asKafkaPrincipal } from '@modelreg/config';
import { DLQ_HEADERS, type KafkaPrincipal } from '@modelreg/kafka';
import {
  bearer,
  createTestEnvironment,
  eventually,
  readMessages,
  startService,
  testKafka,
  type RunningService,
  type TestEnvironment,
} from '@modelreg/testing';

/**
 * The attack: whoever may write the deployment-reports topic (a deployment controller) produces a
 * RunRegistered there, and the tracker records a version ingestion never registered. The tracker
 * reads RunRegistered from the lineage topic only: anything else on an inbound topic is
 * dead-lettered with the reason, and the genuine event with that id is still applied from lineage.
 */
describe('an event on a topic it does not belong on', () => {
  const codec = new EventCodec(SchemaCatalog.load());
  let environment: TestEnvironment;
  let tracker: RunningService;

  beforeAll(async () => {
    environment = await createTestEnvironment('misplaced');
    tracker = await startService('deployment-tracker', environment.env);
  });

  afterAll(async () => {
    await tracker?.stop();
    await environment?.dispose();
  });

  /** Produces as `principal` where the stack's broker authenticates (as the admin where it does not). */
  const produce = async (principal: KafkaPrincipal, topic: string, value: Buffer) => {
    const producer = testKafka('misplaced', asKafkaPrincipal(environment.env, principal)).producer();
    await producer.connect();
    await producer.send({ topic, acks: -1, messages: [{ key: 'forged-model', value }] });
    await producer.disconnect();
  };
  /** A canary for version 1: refused as unknown while the version is not registered, as gate-not-passed once it is. */
  const canaryRule = async () => {
    const response = await fetch(`${tracker.url}/v1/deployments/reports`, {
      method: 'POST',
      headers: { ...bearer('controller'), 'content-type': 'application/json' },
      body: JSON.stringify({
        kind: 'CANARY_STARTED',
        reportId: `canary-${Date.now()}`,
        reportedAt: new Date().toISOString(),
        deploymentId: 'forged-v1',
        modelName: 'forged-model',
        service: 'scoring',
        surface: 'checkout',
        environment: 'production',
        modelVersion: 1,
        trafficPercent: 5,
      }),
    });
    return { status: response.status, rule: ((await response.json()) as { rule?: string }).rule };
  };

  it('dead-letters a RunRegistered produced to deployment-reports with the reason, and registers no version', async () => {
    const topics = topicNames(environment.id);
    const forged = codec.encode({ type: 'RunRegistered', data: exampleRunRegistered('forged-model', 1) });
    await produce('controller', topics.deploymentReports, forged);

    const [letter] = await readMessages(testKafka('misplaced-dlq'), topics.deadLetter, 1);
    expect(letter?.headers?.[DLQ_HEADERS.reason]?.toString()).toBe(
      `misplaced event: RunRegistered does not belong on ${topics.deploymentReports} (it is appended to ${topics.lineage} only)`,
    );
    expect(letter?.headers?.[DLQ_HEADERS.sourceTopic]?.toString()).toBe(topics.deploymentReports);
    expect(letter?.value).toEqual(forged);
    expect(await canaryRule()).toEqual({ status: 404, rule: 'unknown-version' });

    // The same event on its own topic, from its own producer and signed by it, is applied: the forgery claimed nothing.
    await produce('ingestion', topics.lineage, environment.sealer.seal('lineage', forged));
    await eventually(canaryRule, (outcome) => outcome.rule !== 'unknown-version', { what: 'the tracker to record version 1 from lineage' });
    expect(await canaryRule()).toEqual({ status: 409, rule: 'gate-not-passed' });
  });
});
