import type { PartitionBatch } from '@modelreg/kafka';
import { handlerFailureReason, isRetriable } from './failure-kind';

/** How a consumer retries. */
export interface RetryPolicy {
  /** Tries of a batch the handler fails on deterministically before narrowing down the events at fault. */
  deterministicTries: number;
  /** Wait after the first failure, ms; it doubles with each consecutive failure... */
  initialBackoffMs: number;
  /** ...up to this, ms. Outages are retried at this pace for as long as they last. */
  maxBackoffMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { deterministicTries: 3, initialBackoffMs: 250, maxBackoffMs: 10_000 };

/** The effects `settleBatch` drives, each one ledger transaction (or a wait). */
export interface SettleSteps {
  /** Applies a slice's new events and moves the position past it; throws and changes nothing when it fails. */
  apply(slice: PartitionBatch): Promise<void>;
  /** Dead-letters a slice's new events with `reason`, records their ids and moves the position past it. */
  deadLetter(slice: PartitionBatch, reason: string): Promise<void>;
  /** Waits `ms`; false when the work must stop (the consumer stops or loses the partition). */
  pause(ms: number): Promise<boolean>;
  /** A try failed; `retryInMs` is null when the slice is narrowed down instead. */
  failed(slice: PartitionBatch, error: unknown, retriable: boolean, retryInMs: number | null): void;
}

/** Wait before the next try after `failures` consecutive failures. */
export function backoffMs(policy: RetryPolicy, failures: number): number {
  return Math.min(policy.maxBackoffMs, policy.initialBackoffMs * 2 ** Math.min(Math.max(failures - 1, 0), 30));
}

/**
 * Splits a batch of two or more events in two at its middle event, each half with the
 * undecodable records of its offset range, so the halves together cover exactly the batch.
 */
export function splitBatch(batch: PartitionBatch): [PartitionBatch, PartitionBatch] {
  const middle = Math.ceil(batch.events.length / 2);
  const splitAt = BigInt((batch.events[middle] as PartitionBatch['events'][number]).source.offset);
  const before = (offset: string) => BigInt(offset) < splitAt;
  return [
    {
      ...batch,
      events: batch.events.slice(0, middle),
      undecodable: batch.undecodable.filter((letter) => before(letter.source.offset)),
      nextOffset: splitAt.toString(),
    },
    { ...batch, events: batch.events.slice(middle), undecodable: batch.undecodable.filter((letter) => !before(letter.source.offset)) },
  ];
}

/**
 * Deals with every record of a batch, in log order. Outages (retriable errors) are retried with
 * capped backoff for as long as they last. A batch the handler fails on deterministically is
 * tried `deterministicTries` times, then split in halves, recursively, until the failing events
 * stand alone: those are dead-lettered with the handler's reason, the rest applied. Resolves
 * true when the batch is settled, false when the consumer stopped first (then the batch comes
 * again, and what was settled of it is a no-op).
 */
export function settleBatch(batch: PartitionBatch, steps: SettleSteps, policy: RetryPolicy = DEFAULT_RETRY_POLICY): Promise<boolean> {
  return settle(batch, policy.deterministicTries, steps, policy);
}

async function settle(batch: PartitionBatch, tries: number, steps: SettleSteps, policy: RetryPolicy): Promise<boolean> {
  let failures = 0;
  let deterministic = 0;
  for (;;) {
    let error: unknown;
    try {
      await steps.apply(batch);
      return true;
    } catch (caught) {
      error = caught;
    }
    failures += 1;
    const retriable = isRetriable(error);
    if (!retriable) deterministic += 1;
    if (!retriable && deterministic >= tries) {
      steps.failed(batch, error, false, null);
      return isolate(batch, error, steps, policy);
    }
    const delay = backoffMs(policy, failures);
    steps.failed(batch, error, retriable, delay);
    if (!(await steps.pause(delay))) return false;
  }
}

async function isolate(batch: PartitionBatch, error: unknown, steps: SettleSteps, policy: RetryPolicy): Promise<boolean> {
  if (batch.events.length <= 1) return deadLetter(batch, handlerFailureReason(error), steps, policy);
  const [first, second] = splitBatch(batch);
  return (await settle(first, 1, steps, policy)) && settle(second, 1, steps, policy);
}

/** A dead letter that cannot be written is never skipped: it is retried, whatever the error, until it is. */
async function deadLetter(batch: PartitionBatch, reason: string, steps: SettleSteps, policy: RetryPolicy): Promise<boolean> {
  for (let failures = 1; ; failures += 1) {
    try {
      await steps.deadLetter(batch, reason);
      return true;
    } catch (error) {
      const delay = backoffMs(policy, failures);
      steps.failed(batch, error, true, delay);
      if (!(await steps.pause(delay))) return false;
    }
  }
}
