import { BatchConsumer, type ConsumedEvent, type DeadLetter } from '@modelreg/kafka';
import type { Logger } from '@modelreg/logging';
import type { PoolClient } from '@modelreg/postgres';
import { EventLedger } from './event-ledger/event-ledger';
import type { ServiceInfrastructure } from './infrastructure';
import type { OutboxRelay } from './outbox/outbox-relay';
import type { ReadinessCheck } from './readiness-check';

export interface LedgerConsumerOptions {
  infra: ServiceInfrastructure;
  /** The service's schema, holding its ledger tables. */
  schema: string;
  groupId: string;
  topics: string[];
  logger: Logger;
  /** Applies the new events of a batch in the ledger's transaction; returns what to dead-letter. */
  apply: (client: PoolClient, events: ConsumedEvent[]) => Promise<DeadLetter[] | void>;
  /** Relay of the events `apply` queued, nudged after each batch. */
  relay: OutboxRelay;
  onFatal: (error: Error) => void;
}

export interface LedgerPipeline {
  readiness: ReadinessCheck;
  /** Starts the outbox relay, then the consumer. */
  start(): Promise<void>;
  /** Stops the consumer after its batch in hand, then the relay after its pass. */
  stop(): Promise<void>;
}

/**
 * The consuming half of a stateful service: each batch applied exactly once in effect through
 * the event ledger, the outbox relayed right after, and a readiness check for the consumer.
 */
export function ledgerConsumer(options: LedgerConsumerOptions): LedgerPipeline {
  const ledger = new EventLedger(options.infra.pool, options.schema, options.groupId);
  const consumer = new BatchConsumer({
    kafka: options.infra.kafka,
    groupId: options.groupId,
    topics: options.topics,
    codec: options.infra.codec,
    deadLetterTopic: options.infra.topics.deadLetter,
    publisher: options.infra.publisher,
    logger: options.logger,
    handler: async (batch) => {
      const rejected = await ledger.applyBatch(batch, options.apply);
      options.relay.nudge();
      return rejected;
    },
    onFatal: options.onFatal,
  });
  const readiness: ReadinessCheck = {
    name: 'consumer',
    check: async () => {
      if (!consumer.isRunning()) throw new Error('consumer is not running');
    },
  };
  return {
    readiness,
    start: async () => {
      options.relay.start();
      await consumer.start();
    },
    stop: async () => {
      await consumer.stop();
      await options.relay.stop();
    },
  };
}
