import { rangesToReconcile } from './outbox-reconciler';

const end = (topic: string, partition: number, low: number, high: number) => ({ topic, partition, low: String(low), high: String(high) });

describe('rangesToReconcile', () => {
  it('reads each partition from its position to its end', () => {
    expect(
      rangesToReconcile(
        [end('lineage', 0, 0, 120), end('lineage', 1, 0, 40)],
        [
          { topic: 'lineage', partition: 0, scanFrom: '115' },
          { topic: 'lineage', partition: 1, scanFrom: '40' },
        ],
      ),
    ).toEqual([
      { topic: 'lineage', partition: 0, fromOffset: '115', toOffset: '120' },
      { topic: 'lineage', partition: 1, fromOffset: '40', toOffset: '40' },
    ]);
  });

  it('reads a partition added after its topic was positioned from its start', () => {
    expect(rangesToReconcile([end('lineage', 3, 0, 9)], [{ topic: 'lineage', partition: 0, scanFrom: '115' }])).toEqual([
      { topic: 'lineage', partition: 3, fromOffset: '0', toOffset: '9' },
    ]);
  });

  it('reads nothing of a topic this outbox never appended to', () => {
    expect(rangesToReconcile([end('dead-letter', 0, 0, 500)], [])).toEqual([
      { topic: 'dead-letter', partition: 0, fromOffset: '500', toOffset: '500' },
    ]);
  });

  it('starts no lower than where the log starts', () => {
    expect(rangesToReconcile([end('lineage', 0, 50, 60)], [{ topic: 'lineage', partition: 0, scanFrom: '10' }])).toEqual([
      { topic: 'lineage', partition: 0, fromOffset: '50', toOffset: '60' },
    ]);
  });
});
