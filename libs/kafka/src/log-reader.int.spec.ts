import { testKafka, uniqueTopics } from '@modelreg/testing';
import { readLogToEnd } from './log-reader';

/** Against the real broker of the local stack. */
describe('reading a log to its end', () => {
  const kafka = testKafka('log-reader-test');

  it('reads every record of every partition of several topics from offset 0 to their ends; a later call reads later records', async () => {
    const topics = await uniqueTopics(kafka, 'log-reader', ['a', 'b', 'empty'], 3);
    const producer = kafka.producer();
    await producer.connect();
    const send = (topic: string, values: string[]) => producer.send({ topic, messages: values.map((value, index) => ({ key: `k${index % 5}`, value })) });
    await send(topics['a']!, Array.from({ length: 40 }, (_, index) => `a${index}`));
    await send(topics['b']!, ['b0', 'b1']);
    const records = await readLogToEnd(kafka, [topics['a']!, topics['b']!, topics['empty']!], 60_000);
    await send(topics['a']!, ['late']);
    await producer.disconnect();

    expect(records.map((record) => record.value.toString()).sort()).toEqual([...Array.from({ length: 40 }, (_, index) => `a${index}`), 'b0', 'b1'].sort());
    expect(records.every((record) => record.timestamp > 0 && /^\d+$/.test(record.offset))).toBe(true);
    expect(await readLogToEnd(kafka, [topics['empty']!], 10_000)).toEqual([]);
    expect((await readLogToEnd(kafka, [topics['a']!], 60_000)).map((record) => record.value.toString())).toContain('late');
  });
});
