import type { Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import type { EventCodec, RegistryEvent } from '@modelreg/events';
import type { Logger } from '@modelreg/logging';
import { ConsumerProgress, type StalledPartition } from './consumer-progress';
import type { DeadLetter, SourceCoordinates } from './dead-letter';
import { retryWhileRetriable } from './errors';

export interface ConsumedEvent {
  source: SourceCoordinates;
  /** Broker append time (or producer create time), ms. */
  timestamp: number;
  event: RegistryEvent;
  /** The record's headers as text (event type, ids, W3C trace context); absent where no record was read. */
  headers?: Record<string, string>;
}

/** Consecutive records of one partition, in log order: the decoded events and the records that are not. */
export interface PartitionBatch {
  topic: string;
  partition: number;
  events: ConsumedEvent[];
  /** Records that could not be decoded, with the reason; they belong in the dead-letter topic. */
  undecodable: DeadLetter[];
  /** The offset after the batch's last record: where the partition resumes once the batch is applied. */
  nextOffset: string;
}

/** What a handler may ask of the consumer while it works on a batch (retries can take long). */
export interface ConsumerSession {
  /** False once the consumer stops or the partition is taken away: stop working on the batch. */
  isActive(): boolean;
  /** Keeps the group membership alive; throws when the group is rebalancing or Kafka is gone. */
  heartbeat(): Promise<void>;
}

/**
 * Applies a batch, resolving only when every record of it is dealt with (applied or
 * dead-lettered), or when the session is no longer active; then nothing of it is committed to
 * Kafka, and the batch comes again.
 */
export type BatchHandler = (batch: PartitionBatch, session: ConsumerSession) => Promise<void>;

export interface BatchConsumerOptions {
  kafka: Kafka;
  groupId: string;
  topics: string[];
  codec: EventCodec;
  logger: Logger;
  handler: BatchHandler;
  /** Called when the consumer cannot go on (a non-retriable Kafka or programming error, never an outage). */
  onFatal: (error: Error) => void;
  /** Messages handled per call of the handler; heartbeats are sent between chunks. */
  chunkSize?: number;
  /**
   * Partitions handled at once (default 1). Order holds within a partition, which is all the
   * model-keyed topics need; handlers must then be safe to run concurrently.
   */
  partitionsConcurrently?: number;
  /**
   * Most bytes fetched per partition at a time (default 4 MiB). A consumer that catches up on a long
   * log (a replay) goes faster with more: fetching and applying do not overlap, so each fetch leaves
   * the database idle while it lasts; the cost is memory, this many bytes per partition in flight.
   */
  fetchBytesPerPartition?: number;
}

const DEFAULT_FETCH_BYTES_PER_PARTITION = 4 * 1024 * 1024;

/**
 * Consumer runner: decodes at the edge (handlers never see bytes of a valid event), hands each
 * chunk to the handler, commits only what the handler has dealt with, and restarts after any
 * Kafka trouble for as long as it takes. Tracks each partition's progress for readiness.
 */
export class BatchConsumer {
  private consumer: Consumer | null = null;
  private running = false;
  private readonly progress = new ConsumerProgress();

  constructor(private readonly options: BatchConsumerOptions) {}

  async start(): Promise<void> {
    const { options } = this;
    const consumer = options.kafka.consumer({
      groupId: options.groupId,
      // A crashed member holds its partitions until its session times out; 10 s bounds that pause.
      sessionTimeout: 10_000,
      heartbeatInterval: 1_000,
      maxBytesPerPartition: options.fetchBytesPerPartition ?? DEFAULT_FETCH_BYTES_PER_PARTITION,
      // kafkajs caps a whole fetch at 10 MiB by default, below what several partitions may bring.
      maxBytes: Math.max(
        10 * 1024 * 1024,
        (options.fetchBytesPerPartition ?? DEFAULT_FETCH_BYTES_PER_PARTITION) * (options.partitionsConcurrently ?? 1),
      ),
      allowAutoTopicCreation: false,
      retry: {
        retries: 8,
        // A broker or coordinator away restarts the consumer from its last committed offset, with
        // kafkajs' capped backoff, however long it takes; the ledger makes a replayed batch a no-op.
        restartOnFailure: async (error) => {
          options.logger.warn('consumer failed, restarting', { groupId: options.groupId, error });
          return true;
        },
      },
    });
    this.consumer = consumer;
    consumer.on(consumer.events.GROUP_JOIN, (event) => {
      const assignment = event.payload.memberAssignment;
      this.progress.retain(
        Object.entries(assignment).flatMap(([topic, partitions]) => partitions.map((partition) => ({ topic, partition }))),
      );
    });
    consumer.on(consumer.events.CRASH, (event) => {
      if (event.payload.restart) return;
      this.running = false;
      options.logger.error('consumer crashed', { groupId: options.groupId, error: event.payload.error });
      options.onFatal(event.payload.error);
    });
    await consumer.connect();
    await retryWhileRetriable(() => consumer.subscribe({ topics: options.topics, fromBeginning: true }));
    await consumer.run({
      autoCommit: true,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: options.partitionsConcurrently ?? 1,
      eachBatch: (payload) => this.handleBatch(payload),
    });
    this.running = true;
  }

  isRunning(): boolean {
    return this.running;
  }

  /** Records waiting per assigned partition, as last fetched. */
  lags(): Array<{ topic: string; partition: number; lag: bigint }> {
    return this.running ? this.progress.lags() : [];
  }

  /** Assigned partitions with records waiting that have not advanced for more than `stallMs`. */
  stalled(stallMs: number, now = Date.now()): StalledPartition[] {
    return this.running ? this.progress.stalled(now, stallMs) : [];
  }

  /** Finishes the batch in hand, commits it and leaves the group. */
  async stop(): Promise<void> {
    this.running = false;
    await this.consumer?.disconnect();
    this.consumer = null;
  }

  private async handleBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    const first = batch.messages[0];
    if (!first) return;
    this.progress.received(batch.topic, batch.partition, first.offset, batch.highWatermark, Date.now());
    const session: ConsumerSession = { isActive: () => payload.isRunning() && !payload.isStale(), heartbeat: () => payload.heartbeat() };
    const chunkSize = this.options.chunkSize ?? 2000;
    for (let start = 0; start < batch.messages.length; start += chunkSize) {
      if (!session.isActive()) return;
      const chunk = batch.messages.slice(start, start + chunkSize);
      const lastOffset = (chunk[chunk.length - 1] as KafkaMessage).offset;
      await this.options.handler(decodeChunk(this.options.codec, batch.topic, batch.partition, chunk), session);
      if (!session.isActive()) return;
      payload.resolveOffset(lastOffset);
      this.progress.advanced(batch.topic, batch.partition, (BigInt(lastOffset) + 1n).toString(), Date.now());
      await payload.commitOffsetsIfNecessary();
      await payload.heartbeat();
    }
  }
}

/** Decodes at the edge: every record becomes a typed event or a dead letter saying why it is not one. */
function decodeChunk(codec: EventCodec, topic: string, partition: number, messages: KafkaMessage[]): PartitionBatch {
  const events: ConsumedEvent[] = [];
  const undecodable: DeadLetter[] = [];
  for (const message of messages) {
    const source: SourceCoordinates = {
      topic,
      partition,
      offset: message.offset,
      key: message.key?.toString('utf8') ?? null,
      value: message.value,
    };
    try {
      events.push({
        source,
        timestamp: Number(message.timestamp),
        event: codec.decode(message.value),
        headers: headerText(message.headers),
      });
    } catch (error) {
      undecodable.push({ source, reason: `undecodable: ${(error as Error).message}` });
    }
  }
  const last = messages[messages.length - 1];
  return { topic, partition, events, undecodable, nextOffset: last ? (BigInt(last.offset) + 1n).toString() : '0' };
}

/** A repeated header keeps its first value, as W3C trace context extraction expects. */
function headerText(headers: KafkaMessage['headers']): Record<string, string> {
  const text: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) text[name] = first.toString();
  }
  return text;
}
