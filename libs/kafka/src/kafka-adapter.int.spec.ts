import { EventCodec, exampleRunRegistered, SchemaCatalog, topicNames } from '@modelreg/events';
import { createJsonLogger } from '@modelreg/logging';
import { eventually, readMessages, testKafka, uniqueTopics } from '@modelreg/testing';
import { BatchConsumer, type PartitionBatch } from './batch-consumer';
import { KafkaEventPublisher } from './event-publisher';
import { eventMessage } from './outgoing-message';

const codec = new EventCodec(SchemaCatalog.load());
const logger = createJsonLogger({ service: 'test', level: 'error' });

/** Against the real Kafka 4.x broker of the local stack: proves kafkajs works with it. */
describe('Kafka adapter on the real broker', () => {
  const kafka = testKafka('kafka-adapter-test');

  it('publishes with the idempotent producer and a consumer group reads every message in order per key', async () => {
    const topics = await uniqueTopics(kafka, 'smoke', ['events'], 3);
    const publisher = new KafkaEventPublisher(kafka);
    const target = { ...topicNames('unused'), lineage: topics['events']! };
    const messages = Array.from({ length: 60 }, (_, index) =>
      eventMessage(codec, target, { type: 'RunRegistered', data: exampleRunRegistered(`model-${index % 3}`, Math.floor(index / 3) + 1) }),
    );
    await publisher.publish(messages);
    await publisher.close();

    const received = await readMessages(kafka, topics['events']!, 60);
    const versionsByModel = new Map<string, number[]>();
    for (const message of received) {
      const event = codec.decode(message.value);
      if (event.type !== 'RunRegistered') throw new Error(`unexpected ${event.type}`);
      versionsByModel.set(event.data.modelName, [...(versionsByModel.get(event.data.modelName) ?? []), event.data.modelVersion]);
    }
    expect([...versionsByModel.keys()].sort()).toEqual(['model-0', 'model-1', 'model-2']);
    for (const versions of versionsByModel.values()) expect(versions).toEqual(Array.from({ length: 20 }, (_, index) => index + 1));
  });

  it('hands undecodable messages to the handler as dead letters with reason and source, and only valid events as events', async () => {
    const topics = await uniqueTopics(kafka, 'dlq', ['events']);
    const producer = kafka.producer();
    await producer.connect();
    const valid = codec.encode({ type: 'RunRegistered', data: exampleRunRegistered('fraud-model', 1) });
    await producer.send({
      topic: topics['events']!,
      messages: [
        { key: 'fraud-model', value: Buffer.from('{"not":"avro"}') },
        { key: 'fraud-model', value: valid },
        { key: 'fraud-model', value: Buffer.concat([valid.subarray(0, 2), Buffer.alloc(8, 0xff), valid.subarray(10)]) },
      ],
    });
    await producer.disconnect();

    const handled: PartitionBatch[] = [];
    const consumer = new BatchConsumer({
      kafka,
      groupId: `${topics['events']}-group`,
      topics: [topics['events']!],
      codec,
      logger,
      handler: async (batch) => void handled.push(batch),
      onFatal: (error) => {
        throw error;
      },
    });
    await consumer.start();
    try {
      await eventually(
        async () => handled.reduce((sum, batch) => sum + batch.events.length + batch.undecodable.length, 0),
        (records) => records === 3,
        { what: 'the three records handled' },
      );
      expect(handled.flatMap((batch) => batch.events.map((event) => event.source.offset))).toEqual(['1']);
      const undecodable = handled.flatMap((batch) => batch.undecodable);
      expect(undecodable.map((letter) => [letter.source.offset, letter.reason])).toEqual([
        ['0', expect.stringMatching(/^undecodable: .*not Avro single-object encoded/)],
        ['2', expect.stringMatching(/^undecodable: .*unknown schema fingerprint 0xffffffffffffffff/)],
      ]);
      expect(undecodable[0]?.source.value?.toString()).toBe('{"not":"avro"}');
      expect(handled[handled.length - 1]?.nextOffset).toBe('3');
      await eventually(
        async () => consumer.stalled(0),
        (stalled) => stalled.length === 0,
        { what: 'no partition left waiting' },
      );
    } finally {
      await consumer.stop();
    }
  });
});
