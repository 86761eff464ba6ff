import { exampleRunRegistered } from '@modelreg/events';
import type { PartitionBatch } from '@modelreg/kafka';
import { backoffMs, settleBatch, splitBatch, type RetryPolicy, type SettleSteps } from './settle-batch';

const policy: RetryPolicy = { deterministicTries: 3, initialBackoffMs: 100, maxBackoffMs: 1000 };

/** Offsets 0..count-1 of one partition; `undecodableAt` offsets hold undecodable records instead of events. */
function batch(count: number, undecodableAt: number[] = []): PartitionBatch {
  const records = Array.from({ length: count }, (_, offset) => offset);
  const source = (offset: number) => ({ topic: 'lineage', partition: 0, offset: String(offset), key: 'm', value: Buffer.from([offset]) });
  return {
    topic: 'lineage',
    partition: 0,
    events: records
      .filter((offset) => !undecodableAt.includes(offset))
      .map((offset) => ({
        source: source(offset),
        timestamp: 0,
        event: { type: 'RunRegistered' as const, data: exampleRunRegistered('m', offset + 1) },
      })),
    undecodable: undecodableAt.map((offset) => ({ source: source(offset), reason: 'undecodable: not Avro' })),
    nextOffset: String(count),
  };
}

const offsets = (slice: PartitionBatch) => slice.events.map((consumed) => Number(consumed.source.offset));

/** An in-memory ledger: a slice commits whole or not at all, in order, like the ledger's transactions. */
function fakeLedger(options: { poison?: number[]; outageTries?: number; stopAfterPauses?: number } = {}) {
  const state = {
    applied: [] as number[],
    deadLettered: [] as Array<{ offset: number; reason: string }>,
    undecodable: [] as number[],
    position: 0,
    applyCalls: 0,
    pauses: [] as number[],
    failures: [] as Array<{ retriable: boolean; retryInMs: number | null }>,
  };
  let outages = options.outageTries ?? 0;
  const commit = (slice: PartitionBatch) => {
    expect(Number(slice.events[0]?.source.offset ?? slice.undecodable[0]?.source.offset ?? state.position)).toBeGreaterThanOrEqual(
      state.position,
    );
    state.undecodable.push(...slice.undecodable.map((letter) => Number(letter.source.offset)));
    state.position = Number(slice.nextOffset);
  };
  const steps: SettleSteps = {
    apply: async (slice) => {
      state.applyCalls += 1;
      if (outages > 0) {
        outages -= 1;
        throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
      }
      const bad = offsets(slice).find((offset) => options.poison?.includes(offset));
      if (bad !== undefined) throw Object.assign(new Error('unsupported Unicode escape sequence'), { code: '22P05' });
      state.applied.push(...offsets(slice));
      commit(slice);
    },
    deadLetter: async (slice, reason) => {
      state.deadLettered.push(...offsets(slice).map((offset) => ({ offset, reason })));
      commit(slice);
    },
    pause: async (ms) => {
      state.pauses.push(ms);
      return options.stopAfterPauses === undefined || state.pauses.length < options.stopAfterPauses;
    },
    failed: (_slice, _error, retriable, retryInMs) => void state.failures.push({ retriable, retryInMs }),
  };
  return { steps, state };
}

describe('settling a batch', () => {
  it('applies a healthy batch in one go', async () => {
    const { steps, state } = fakeLedger();
    expect(await settleBatch(batch(8), steps, policy)).toBe(true);
    expect(state).toMatchObject({ applied: [0, 1, 2, 3, 4, 5, 6, 7], deadLettered: [], position: 8, applyCalls: 1, pauses: [] });
  });

  it('retries an outage with capped backoff for as long as it lasts, never dead-lettering', async () => {
    const { steps, state } = fakeLedger({ outageTries: 12 });
    expect(await settleBatch(batch(4), steps, policy)).toBe(true);
    expect(state.pauses).toEqual([100, 200, 400, 800, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000]);
    expect(state).toMatchObject({ applied: [0, 1, 2, 3], deadLettered: [], position: 4, applyCalls: 13 });
  });

  it(
    'tries a failing batch a bounded number of times, ' +
      'then isolates the poison event, dead-letters it with the reason and applies the rest',
    async () => {
      const { steps, state } = fakeLedger({ poison: [5] });
      expect(await settleBatch(batch(16), steps, policy)).toBe(true);
      expect(state.deadLettered).toEqual([{ offset: 5, reason: 'handler failed: unsupported Unicode escape sequence (SQLSTATE 22P05)' }]);
      expect(state.applied).toEqual([0, 1, 2, 3, 4, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
      expect(state.position).toBe(16);
      // 3 tries of the whole batch, then one try per half on the way down to the event (log2 16 = 4 levels).
      expect(state.applyCalls).toBeLessThanOrEqual(3 + 2 * 4);
      expect(state.failures.filter((failure) => failure.retryInMs !== null)).toHaveLength(2);
    },
  );

  it('isolates several poison events, the first and the last included, and keeps log order', async () => {
    const { steps, state } = fakeLedger({ poison: [0, 6, 7, 12] });
    expect(await settleBatch(batch(13), steps, policy)).toBe(true);
    expect(state.deadLettered.map((letter) => letter.offset)).toEqual([0, 6, 7, 12]);
    expect(state.applied).toEqual([1, 2, 3, 4, 5, 8, 9, 10, 11]);
    expect(state.position).toBe(13);
  });

  it('dead-letters a single event only after the bounded tries', async () => {
    const { steps, state } = fakeLedger({ poison: [0] });
    expect(await settleBatch(batch(1), steps, policy)).toBe(true);
    expect(state.applyCalls).toBe(3);
    expect(state.pauses).toEqual([100, 200]);
    expect(state.deadLettered.map((letter) => letter.offset)).toEqual([0]);
  });

  it('keeps undecodable records with the slice that covers them, so each is dead-lettered once', async () => {
    const { steps, state } = fakeLedger({ poison: [4] });
    expect(await settleBatch(batch(10, [2, 3, 9]), steps, policy)).toBe(true);
    expect(state.undecodable.sort((a, b) => a - b)).toEqual([2, 3, 9]);
    expect(state.deadLettered.map((letter) => letter.offset)).toEqual([4]);
    expect(state.applied).toEqual([0, 1, 5, 6, 7, 8]);
    expect(state.position).toBe(10);
  });

  it('gives up the batch, unsettled, when the consumer stops during a retry', async () => {
    const { steps, state } = fakeLedger({ outageTries: 100, stopAfterPauses: 3 });
    expect(await settleBatch(batch(3), steps, policy)).toBe(false);
    expect(state).toMatchObject({ applied: [], position: 0, applyCalls: 3 });
  });
});

describe('splitting a batch', () => {
  it('halves the events and gives each half the undecodable records of its offset range', () => {
    const [first, second] = splitBatch(batch(7, [1, 5]));
    expect([offsets(first), first.undecodable.map((letter) => letter.source.offset), first.nextOffset]).toEqual([[0, 2, 3], ['1'], '4']);
    expect([offsets(second), second.undecodable.map((letter) => letter.source.offset), second.nextOffset]).toEqual([[4, 6], ['5'], '7']);
  });
});

describe('backoff', () => {
  it('doubles from the initial wait up to the cap', () => {
    expect([1, 2, 3, 4, 5, 60].map((failures) => backoffMs(policy, failures))).toEqual([100, 200, 400, 800, 1000, 1000]);
  });
});
