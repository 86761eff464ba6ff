import type { Kafka } from 'kafkajs';
import { readLogRanges, type LogCoordinate, type LogRange, type RecordAt } from './log-reader';

/**
 * Reads the records at exact log coordinates (an audit of one version's history): per partition,
 * the range from the lowest to the highest wanted offset, keeping what is asked for. Resolves in
 * the order given; a coordinate the log does not have rejects.
 */
export async function readAtCoordinates(kafka: Kafka, coordinates: readonly LogCoordinate[], timeoutMs = 30_000): Promise<RecordAt[]> {
  if (coordinates.length === 0) return [];
  const key = (c: LogCoordinate) => `${c.topic}\u0000${c.partition}\u0000${c.offset}`;
  const wanted = new Set(coordinates.map(key));
  const ranges = new Map<string, LogRange>();
  for (const c of coordinates) {
    const partitionKey = `${c.topic}\u0000${c.partition}`;
    const range = ranges.get(partitionKey) ?? {
      topic: c.topic,
      partition: c.partition,
      fromOffset: c.offset,
      toOffset: (BigInt(c.offset) + 1n).toString(),
    };
    if (BigInt(c.offset) < BigInt(range.fromOffset)) range.fromOffset = c.offset;
    if (BigInt(c.offset) >= BigInt(range.toOffset)) range.toOffset = (BigInt(c.offset) + 1n).toString();
    ranges.set(partitionKey, range);
  }
  const records = await readLogRanges(kafka, [...ranges.values()], { keep: (record) => wanted.has(key(record)), timeoutMs });
  const found = new Map(records.map((record) => [key(record), record]));
  return coordinates.map((c) => {
    const record = found.get(key(c));
    if (!record) throw new Error(`no record at ${c.topic}/${c.partition}@${c.offset}`);
    return record;
  });
}
