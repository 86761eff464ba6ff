import { BatchConsumer, type BatchHandler, type ConsumerSession, type StalledPartition } from '@modelreg/kafka';
import { misplacedEventReason } from '@modelreg/events';
import type { Logger } from '@modelreg/logging';
import { EventLedger, type ApplyEvents } from './event-ledger/event-ledger';
import { DEFAULT_RETRY_POLICY, settleBatch, type RetryPolicy } from './event-ledger/settle-batch';
import type { ServiceInfrastructure } from './infrastructure';
import type { OutboxRelay } from './outbox/outbox-relay';
import type { ReadinessCheck } from './readiness-check';
import { applyTraced } from './tracing/event-trace';

export interface LedgerConsumerOptions {
  infra: ServiceInfrastructure;
  /** The service's schema, holding its ledger tables and outbox. */
  schema: string;
  groupId: string;
  topics: string[];
  logger: Logger;
  /** Applies the new events of a batch in the ledger's transaction; returns what to dead-letter. */
  apply: ApplyEvents;
  /** Relay of the service's outbox (events `apply` queued, dead letters), nudged after each transaction. */
  relay: OutboxRelay;
  /** Readiness fails when a partition with records waiting has not advanced for this long (CONSUMER_STALL_SECONDS). */
  stallSeconds: number;
  /** Only for what cannot go on: a non-retriable Kafka error or a programming error, never an outage. */
  onFatal: (error: Error) => void;
  /** Events per transaction (default 2000). */
  chunkSize?: number;
  /** Partitions applied at once (default 1); `apply` must then be safe to run concurrently. */
  partitionsConcurrently?: number;
  /** Most bytes fetched per partition at a time (BatchConsumerOptions.fetchBytesPerPartition). */
  fetchBytesPerPartition?: number;
  retry?: RetryPolicy;
  /**
   * An advisory lock every ledger transaction takes shared, first. Whoever holds it exclusively
   * (the projections' switch to a rebuilt schema) knows that no instance has a batch in flight or
   * starts one until it lets go, and a batch that waited then writes to the tables as they are after.
   */
  sharedLock?: string;
}

export interface LedgerPipeline {
  /** Fails while the consumer is down, or names each partition stalled with records waiting, and its lag. */
  readiness: ReadinessCheck;
  /** Starts the outbox relay, then the consumer. */
  start(): Promise<void>;
  /** Stops the consumer after its batch in hand, then the relay after its pass. */
  stop(): Promise<void>;
  /** Events applied since this pipeline was built. */
  eventsApplied(): number;
}

/**
 * The one way a service consumes: each batch applied exactly once in effect through the event
 * ledger, outages retried without end, events a handler keeps failing on dead-lettered with the
 * reason (via the outbox, in the ledger's transaction) while the rest of the partition moves on,
 * and a readiness check that reports a stalled partition. An event on a topic it does not belong on
 * (misplacedEventReason) is dead-lettered, never applied.
 */
export function ledgerConsumer(options: LedgerConsumerOptions): LedgerPipeline {
  const { logger, relay } = options;
  const { metrics } = options.infra;
  const { topics } = options.infra;
  const ledger = new EventLedger(
    options.infra.pool,
    options.schema,
    options.groupId,
    topics.deadLetter,
    (reasons) => metrics.countDeadLetters(reasons),
    options.sharedLock ?? null,
    (consumed) => misplacedEventReason(topics, consumed.source.topic, consumed.event.type),
    options.infra.verifier,
  );
  const policy = options.retry ?? DEFAULT_RETRY_POLICY;
  let applied = 0;
  const handler: BatchHandler = async (batch, session) => {
    await settleBatch(
      batch,
      {
        apply: async (slice) => {
          // Each event's span covers its whole ledger transaction, the commit of what it wrote included.
          const count = await applyTraced(slice.events, options.groupId, () => ledger.applyBatch(slice, options.apply));
          applied += count;
          relay.nudge();
        },
        deadLetter: async (slice, reason) => {
          await ledger.deadLetterBatch(slice, reason);
          relay.nudge();
          logger.error('events dead-lettered', {
            groupId: options.groupId,
            topic: slice.topic,
            partition: slice.partition,
            offsets: slice.events.map((consumed) => consumed.source.offset),
            reason,
          });
        },
        pause: (ms) => pauseWithHeartbeats(session, ms),
        failed: (slice, error, retriable, retryInMs) =>
          logger.warn(retryInMs === null ? 'handler failed on a batch, narrowing down the events at fault' : 'batch failed, retrying', {
            groupId: options.groupId,
            topic: slice.topic,
            partition: slice.partition,
            fromOffset: slice.events[0]?.source.offset,
            events: slice.events.length,
            retriable,
            retryInMs,
            error,
          }),
      },
      policy,
    );
  };
  const consumer = new BatchConsumer({
    kafka: options.infra.kafka,
    groupId: options.groupId,
    topics: options.topics,
    codec: options.infra.codec,
    logger,
    handler,
    onFatal: options.onFatal,
    chunkSize: options.chunkSize,
    partitionsConcurrently: options.partitionsConcurrently,
    fetchBytesPerPartition: options.fetchBytesPerPartition,
  });
  metrics.watchConsumer(options.groupId, () => consumer.lags());
  const readiness: ReadinessCheck = {
    name: 'consumer',
    check: async () => {
      if (!consumer.isRunning()) throw new Error('consumer is not running');
      const stalled = consumer.stalled(options.stallSeconds * 1000);
      if (stalled.length > 0) throw new Error(`consumer stalled: ${stalled.map(describeStall).join('; ')}`);
    },
  };
  return {
    readiness,
    start: async () => {
      relay.start();
      await consumer.start();
    },
    stop: async () => {
      await consumer.stop();
      await relay.stop();
    },
    eventsApplied: () => applied,
  };
}

/** e.g. `modelreg.lineage.v1 partition 2: 14 records waiting, no progress for 75 s`. */
function describeStall(stall: StalledPartition): string {
  return (
    `${stall.topic} partition ${stall.partition}: ${stall.lag} records waiting, ` +
    `no progress for ${Math.round(stall.stalledMs / 1000)} s`
  );
}

/** Waits in short steps, heartbeating so the group keeps the partition; false once the session ends. */
async function pauseWithHeartbeats(session: ConsumerSession, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (session.isActive() && Date.now() < until) {
    await session.heartbeat();
    await new Promise((resolve) => setTimeout(resolve, Math.min(500, until - Date.now())));
  }
  return session.isActive();
}
