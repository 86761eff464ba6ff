import type { Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import type { EventCodec, RegistryEvent } from '@modelreg/events';
import type { Logger } from '@modelreg/logging';
import { deadLetterMessage, type DeadLetter, type SourceCoordinates } from './dead-letter';
import type { EventPublisher } from './event-publisher';

export interface ConsumedEvent {
  source: SourceCoordinates;
  /** Broker append time (or producer create time), ms. */
  timestamp: number;
  event: RegistryEvent;
}

/** Decoded events of one partition, in log order. */
export interface PartitionBatch {
  topic: string;
  partition: number;
  events: ConsumedEvent[];
}

/** Applies a batch idempotently; returns the events it rejected so they go to the dead-letter topic. */
export type BatchHandler = (batch: PartitionBatch) => Promise<DeadLetter[] | void>;

export interface BatchConsumerOptions {
  kafka: Kafka;
  groupId: string;
  topics: string[];
  codec: EventCodec;
  deadLetterTopic: string;
  publisher: EventPublisher;
  logger: Logger;
  handler: BatchHandler;
  /** Called when the consumer cannot go on; services end the process so a supervisor restarts it. */
  onFatal: (error: Error) => void;
  /** Messages handled per transaction; heartbeats are sent between chunks. */
  chunkSize?: number;
  /** Consecutive failed restarts before `onFatal`; default 10. */
  maxConsecutiveRestarts?: number;
  /**
   * Partitions handled at once (default 1). Order holds within a partition, which is all the
   * model-keyed topics need; handlers must then be safe to run concurrently.
   */
  partitionsConcurrently?: number;
}

/**
 * Consumer runner: decodes at the edge (handlers never see bytes), sends undecodable messages to
 * the dead-letter topic with the reason and moves on, heartbeats during long batches and commits
 * only what the handler has applied.
 */
export class BatchConsumer {
  private readonly consumer: Consumer;
  private running = false;
  /** Restarts since the last batch that went through; bounded so a broken dependency ends the process. */
  private consecutiveRestarts = 0;

  constructor(private readonly options: BatchConsumerOptions) {
    this.consumer = options.kafka.consumer({
      groupId: options.groupId,
      // A crashed member holds its partitions until its session times out; 10 s bounds that pause.
      sessionTimeout: 10_000,
      heartbeatInterval: 1_000,
      maxBytesPerPartition: 4 * 1024 * 1024,
      allowAutoTopicCreation: false,
      retry: {
        retries: 8,
        // Transient trouble (a coordinator still loading, a database failover) restarts the consumer
        // from its last committed offset; handlers are idempotent, so a replayed batch changes nothing.
        restartOnFailure: async (error) => {
          this.consecutiveRestarts += 1;
          const restart = this.consecutiveRestarts <= (options.maxConsecutiveRestarts ?? 10);
          options.logger.warn(restart ? 'consumer failed, restarting' : 'consumer failed too often, giving up', { groupId: options.groupId, restarts: this.consecutiveRestarts, error });
          return restart;
        },
      },
    });
  }

  async start(): Promise<void> {
    const { consumer, options } = this;
    consumer.on(consumer.events.CRASH, (event) => {
      if (event.payload.restart) return;
      this.running = false;
      options.logger.error('consumer crashed', { groupId: options.groupId, error: event.payload.error });
      options.onFatal(event.payload.error);
    });
    await consumer.connect();
    await consumer.subscribe({ topics: options.topics, fromBeginning: true });
    await consumer.run({ autoCommit: true, eachBatchAutoResolve: false, partitionsConsumedConcurrently: options.partitionsConcurrently ?? 1, eachBatch: (payload) => this.handleBatch(payload) });
    this.running = true;
  }

  isRunning(): boolean {
    return this.running;
  }

  /** Finishes the batch in hand, commits it and leaves the group. */
  async stop(): Promise<void> {
    this.running = false;
    await this.consumer.disconnect();
  }

  private async handleBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    const chunkSize = this.options.chunkSize ?? 2000;
    for (let start = 0; start < batch.messages.length; start += chunkSize) {
      if (!payload.isRunning() || payload.isStale()) return;
      const chunk = batch.messages.slice(start, start + chunkSize);
      await this.handleChunk(batch.topic, batch.partition, chunk);
      payload.resolveOffset((chunk[chunk.length - 1] as KafkaMessage).offset);
      this.consecutiveRestarts = 0;
      await payload.commitOffsetsIfNecessary();
      await payload.heartbeat();
    }
  }

  private async handleChunk(topic: string, partition: number, messages: KafkaMessage[]): Promise<void> {
    const { codec, handler, logger } = this.options;
    const events: ConsumedEvent[] = [];
    const undecodable: DeadLetter[] = [];
    for (const message of messages) {
      const source: SourceCoordinates = { topic, partition, offset: message.offset, key: message.key?.toString('utf8') ?? null, value: message.value };
      try {
        events.push({ source, timestamp: Number(message.timestamp), event: codec.decode(message.value) });
      } catch (error) {
        undecodable.push({ source, reason: `undecodable: ${(error as Error).message}` });
      }
    }
    await this.deadLetter(undecodable);
    const rejected = events.length > 0 ? await handler({ topic, partition, events }) : undefined;
    await this.deadLetter(rejected ?? []);
    if (undecodable.length + (rejected?.length ?? 0) > 0) {
      logger.warn('records sent to the dead-letter topic', { topic, partition, undecodable: undecodable.length, rejected: rejected?.length ?? 0 });
    }
  }

  private async deadLetter(letters: DeadLetter[]): Promise<void> {
    if (letters.length === 0) return;
    const { deadLetterTopic, groupId, publisher } = this.options;
    await publisher.publish(letters.map((letter) => deadLetterMessage(deadLetterTopic, groupId, letter)));
  }
}
