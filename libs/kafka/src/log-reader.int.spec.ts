import { Kafka, logLevel } from 'kafkajs';
import { kafkaClientSecurity, readKafkaSecurity } from '@modelreg/config';
import { stackConnection, testKafka, uniqueTopics } from '@modelreg/testing';
import { readLogRanges, type RecordAt } from './log-reader';

/** Against the real broker: the throwaway reader the outbox relay and the audit export read ranges with. */
describe('readLogRanges on the real broker', () => {
  const kafka = testKafka('log-reader-test');
  /** A client whose consumers retry a failed batch quickly. */
  const env = stackConnection();
  const crashing = new Kafka({
    clientId: 'log-reader-crash-test',
    brokers: (env['KAFKA_BROKERS'] as string).split(','),
    logLevel: logLevel.NOTHING,
    retry: { retries: 0, initialRetryTime: 100 },
    ...kafkaClientSecurity(readKafkaSecurity(env)),
  });
  let topic: string;

  beforeAll(async () => {
    topic = (await uniqueTopics(kafka, 'ranges', ['events'], 2))['events']!;
    const producer = kafka.producer();
    await producer.connect();
    for (const partition of [0, 1])
      await producer.send({
        topic,
        messages: Array.from({ length: 20 }, (_, index) => ({ partition, key: `k${index}`, value: `p${partition}-${index}` })),
      });
    await producer.disconnect();
  });

  const values = (records: RecordAt[], partition: number) =>
    records.filter((record) => record.partition === partition).map((record) => record.message.value?.toString());

  it('reads exactly the asked ranges, in log order per partition', async () => {
    const records = await readLogRanges(kafka, [
      { topic, partition: 0, fromOffset: '5', toOffset: '8' },
      { topic, partition: 1, fromOffset: '0', toOffset: '2' },
    ]);
    expect(values(records, 0)).toEqual(['p0-5', 'p0-6', 'p0-7']);
    expect(values(records, 1)).toEqual(['p1-0', 'p1-1']);
  });

  it('goes on from where it was when its consumer crashes and kafkajs restarts it', async () => {
    // kafkajs retries a failed batch 5 times in the same generation, then crashes and restarts the consumer
    // in a new one, which has forgotten the seeks: 8 failures at offset 9 force at least one restart.
    let failures = 0;
    const records = await readLogRanges(
      crashing,
      [
        { topic, partition: 0, fromOffset: '3', toOffset: '15' },
        { topic, partition: 1, fromOffset: '10', toOffset: '20' },
      ],
      {
        timeoutMs: 30_000,
        keep: (record) => {
          if (record.partition === 0 && record.offset === '9' && failures < 8) {
            failures += 1;
            throw Object.assign(new Error('simulated failure while reading'), { retriable: true });
          }
          return true;
        },
      },
    );
    expect(failures).toBe(8);
    expect(values(records, 0)).toEqual(Array.from({ length: 12 }, (_, index) => `p0-${index + 3}`));
    expect(values(records, 1)).toEqual(Array.from({ length: 10 }, (_, index) => `p1-${index + 10}`));
  });

  it('rejects at once, with the reason, when its consumer crashes for good', async () => {
    const started = Date.now();
    await expect(
      readLogRanges(crashing, [{ topic, partition: 0, fromOffset: '0', toOffset: '20' }], {
        timeoutMs: 30_000,
        keep: () => {
          throw Object.assign(new Error('simulated fatal error'), { retriable: false });
        },
      }),
    ).rejects.toThrow(/simulated fatal error/);
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});
