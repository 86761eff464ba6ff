import { takeBatch } from './outbox-batch';

const queue = (...bytes: number[]) => bytes.map((size, index) => ({ id: String(index + 1), bytes: size }));
const ids = (batch: Array<{ id: string }>) => batch.map((record) => record.id);

describe('takeBatch', () => {
  it('takes records in queue order until the next one would cross the byte bound', () => {
    expect(ids(takeBatch(queue(1000, 1000, 1000, 1000), { maxRecords: 10, maxBytes: 3000 }))).toEqual(['1', '2', '3']);
    expect(ids(takeBatch(queue(1000, 2500, 10), { maxRecords: 10, maxBytes: 3000 }))).toEqual(['1']);
  });

  it('stops at the record bound', () => {
    expect(ids(takeBatch(queue(1, 1, 1, 1), { maxRecords: 2, maxBytes: 1000 }))).toEqual(['1', '2']);
  });

  it('takes a record bigger than the bound alone, so that the broker decides about it', () => {
    expect(ids(takeBatch(queue(11_000, 10), { maxRecords: 10, maxBytes: 3000 }))).toEqual(['1']);
  });

  it('takes nothing from an empty queue', () => {
    expect(takeBatch([], { maxRecords: 10, maxBytes: 3000 })).toEqual([]);
  });
});
