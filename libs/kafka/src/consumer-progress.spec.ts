import { ConsumerProgress } from './consumer-progress';

const SECOND = 1000;

describe('consumer progress: a partition is stalled only while records wait and nothing moves', () => {
  it('reports a partition whose batch has not advanced for longer than the limit, with its lag', () => {
    const progress = new ConsumerProgress();
    progress.received('lineage', 0, '10', '25', 0);
    expect(progress.stalled(30 * SECOND, 60 * SECOND)).toEqual([]);
    expect(progress.stalled(61 * SECOND, 60 * SECOND)).toEqual([{ topic: 'lineage', partition: 0, lag: 15n, stalledMs: 61 * SECOND }]);
  });

  it('restarts the clock on every advance and is quiet once caught up', () => {
    const progress = new ConsumerProgress();
    progress.received('lineage', 0, '0', '100', 0);
    progress.advanced('lineage', 0, '50', 50 * SECOND);
    expect(progress.stalled(100 * SECOND, 60 * SECOND)).toEqual([]);
    expect(progress.stalled(111 * SECOND, 60 * SECOND)).toEqual([{ topic: 'lineage', partition: 0, lag: 50n, stalledMs: 61 * SECOND }]);
    progress.advanced('lineage', 0, '100', 112 * SECOND);
    expect(progress.stalled(10_000 * SECOND, 60 * SECOND)).toEqual([]);
  });

  it('counts from when records started waiting, not from the last advance of an idle partition', () => {
    const progress = new ConsumerProgress();
    progress.received('gates', 1, '0', '5', 0);
    progress.advanced('gates', 1, '5', 1 * SECOND);
    progress.received('gates', 1, '5', '8', 3600 * SECOND);
    expect(progress.stalled(3630 * SECOND, 60 * SECOND)).toEqual([]);
    expect(progress.stalled(3661 * SECOND, 60 * SECOND)).toEqual([{ topic: 'gates', partition: 1, lag: 3n, stalledMs: 61 * SECOND }]);
  });

  it('keeps the clock of a stuck partition when the same batch is fetched again', () => {
    const progress = new ConsumerProgress();
    progress.received('gates', 0, '7', '9', 0);
    progress.received('gates', 0, '7', '12', 50 * SECOND);
    expect(progress.stalled(61 * SECOND, 60 * SECOND)).toEqual([{ topic: 'gates', partition: 0, lag: 5n, stalledMs: 61 * SECOND }]);
  });

  it('forgets partitions taken away by a rebalance', () => {
    const progress = new ConsumerProgress();
    progress.received('lineage', 0, '0', '9', 0);
    progress.received('lineage', 1, '0', '9', 0);
    progress.retain([{ topic: 'lineage', partition: 1 }]);
    expect(progress.stalled(100 * SECOND, 60 * SECOND).map((stall) => stall.partition)).toEqual([1]);
  });
});
