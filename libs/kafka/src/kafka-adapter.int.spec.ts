import { EventCodec, exampleRunRegistered, SchemaCatalog, topicNames } from '@modelreg/events';
import { createJsonLogger } from '@modelreg/logging';
import { eventually, readMessages, testKafka, uniqueTopics } from '@modelreg/testing';
import { BatchConsumer, type PartitionBatch } from './batch-consumer';
import { DLQ_HEADERS } from './dead-letter';
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
    const messages = Array.from({ length: 60 }, (_, index) => eventMessage(codec, target, { type: 'RunRegistered', data: exampleRunRegistered(`model-${index % 3}`, Math.floor(index / 3) + 1) }));
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

  it('sends undecodable messages to the dead-letter topic with reason and source, and moves on', async () => {
    const topics = await uniqueTopics(kafka, 'dlq', ['events', 'dead-letter']);
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
    const publisher = new KafkaEventPublisher(kafka);
    const consumer = new BatchConsumer({
      kafka, groupId: `${topics['events']}-group`, topics: [topics['events']!], codec, deadLetterTopic: topics['dead-letter']!, publisher, logger,
      handler: async (batch) => void handled.push(batch),
      onFatal: (error) => { throw error; },
    });
    await consumer.start();
    try {
      await eventually(async () => handled.flatMap((batch) => batch.events), (events) => events.length === 1, { what: 'the valid event handled' });
      const dead = await readMessages(kafka, topics['dead-letter']!, 2);
      const headers = dead.map((message) => Object.fromEntries(Object.entries(message.headers ?? {}).map(([key, value]) => [key, String(value)])));
      expect(headers).toEqual([
        expect.objectContaining({ [DLQ_HEADERS.reason]: expect.stringMatching(/not Avro single-object encoded/), [DLQ_HEADERS.sourceTopic]: topics['events'], [DLQ_HEADERS.sourceOffset]: '0' }),
        expect.objectContaining({ [DLQ_HEADERS.reason]: expect.stringMatching(/unknown schema fingerprint 0xffffffffffffffff/), [DLQ_HEADERS.sourceOffset]: '2' }),
      ]);
      expect(dead[0]?.value?.toString()).toBe('{"not":"avro"}');
      expect(handled.flatMap((batch) => batch.events.map((event) => event.source.offset))).toEqual(['1']);
    } finally {
      await consumer.stop();
      await publisher.close();
    }
  });
});
