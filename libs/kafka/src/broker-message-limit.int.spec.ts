import { randomBytes } from 'node:crypto';
import { createTestTopics, testKafka } from '@modelreg/testing';
import { brokerMessageLimit, topicMessageLimits } from './broker-message-limit';

/** What the real broker (message.max.bytes=10485760 in the local stack) says each topic accepts. */
describe('topic message limits on the real broker', () => {
  const kafka = testKafka('message-limits');
  const prefix = `t${randomBytes(4).toString('hex')}-limits`;
  const own = `${prefix}.own-limit`;
  const inherited = `${prefix}.inherited`;
  const admin = kafka.admin();

  beforeAll(async () => {
    await admin.connect();
    await createTestTopics(kafka, [
      { topic: own, numPartitions: 1, configEntries: [{ name: 'max.message.bytes', value: '2000000' }] },
      { topic: inherited, numPartitions: 1 },
    ]);
  });

  afterAll(async () => {
    await admin.deleteTopics({ topics: [own, inherited] }).catch(() => undefined);
    await admin.disconnect();
  });

  it("reads a topic's own max.message.bytes, and the broker default a topic inherits", async () => {
    expect(await topicMessageLimits(kafka, [own, inherited])).toEqual([
      { topic: own, bytes: 2_000_000, source: 'max.message.bytes' },
      { topic: inherited, bytes: 10_485_760, source: 'max.message.bytes' },
    ]);
  });

  it("reads the brokers' message.max.bytes, the fallback for a topic that reports none", async () => {
    expect(await brokerMessageLimit(admin)).toBe(10_485_760);
  });
});
