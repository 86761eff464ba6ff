/** A partition whose consumer has work waiting but has not moved for too long. */
export interface StalledPartition {
  topic: string;
  partition: number;
  /** Records waiting: the high watermark last seen minus the next offset to apply. */
  lag: bigint;
  /** How long the partition has gone without advancing while records waited, ms. */
  stalledMs: number;
}

interface PartitionState {
  nextOffset: bigint;
  highWatermark: bigint;
  /** Last advance, or when records started waiting after the partition was caught up. */
  since: number;
}

/**
 * Where each assigned partition stands: the next offset to apply and the high watermark last
 * fetched. A partition counts as stalled only while records wait (lag > 0), so an idle consumer
 * with nothing to do is never reported. Pure: time is an input.
 */
export class ConsumerProgress {
  private readonly partitions = new Map<string, { topic: string; partition: number; state: PartitionState }>();

  /** A batch starting at `firstOffset` arrived; the log ends at `highWatermark`. */
  received(topic: string, partition: number, firstOffset: string, highWatermark: string, now: number): void {
    const entry = this.partitions.get(key(topic, partition));
    const caughtUp = !entry || entry.state.nextOffset >= entry.state.highWatermark;
    const nextOffset = entry ? entry.state.nextOffset : BigInt(firstOffset);
    this.partitions.set(key(topic, partition), {
      topic,
      partition,
      state: { nextOffset, highWatermark: BigInt(highWatermark), since: caughtUp ? now : (entry?.state.since ?? now) },
    });
  }

  /** Everything below `nextOffset` is applied. */
  advanced(topic: string, partition: number, nextOffset: string, now: number): void {
    const entry = this.partitions.get(key(topic, partition));
    const next = BigInt(nextOffset);
    const highWatermark = entry && entry.state.highWatermark > next ? entry.state.highWatermark : next;
    this.partitions.set(key(topic, partition), { topic, partition, state: { nextOffset: next, highWatermark, since: now } });
  }

  /** After a rebalance: forget partitions this member no longer owns. */
  retain(assigned: ReadonlyArray<{ topic: string; partition: number }>): void {
    const keep = new Set(assigned.map((item) => key(item.topic, item.partition)));
    for (const name of [...this.partitions.keys()]) if (!keep.has(name)) this.partitions.delete(name);
  }

  /** Every assigned partition and its records waiting (0 when caught up). */
  lags(): Array<{ topic: string; partition: number; lag: bigint }> {
    return [...this.partitions.values()].map(({ topic, partition, state }) => ({
      topic,
      partition,
      lag: state.highWatermark > state.nextOffset ? state.highWatermark - state.nextOffset : 0n,
    }));
  }

  /** Partitions with lag that have not advanced for more than `stallMs`. */
  stalled(now: number, stallMs: number): StalledPartition[] {
    return [...this.partitions.values()]
      .filter(({ state }) => state.highWatermark > state.nextOffset && now - state.since > stallMs)
      .map(({ topic, partition, state }) => ({
        topic,
        partition,
        lag: state.highWatermark - state.nextOffset,
        stalledMs: now - state.since,
      }));
  }
}

function key(topic: string, partition: number): string {
  return `${topic}/${partition}`;
}
