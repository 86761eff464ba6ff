import type { EventCodec, TopicNames } from '@modelreg/events';
import { BatchConsumer, type EventPublisher, type Kafka } from '@modelreg/kafka';
import type { Logger } from '@modelreg/logging';
import type { Pool } from '@modelreg/postgres';
import { EventLedger } from '@modelreg/service-runtime';
import { readModelWriter } from '../read-models/projection-writer';

export interface ProjectionConsumerDeps {
  /** Events applied per transaction. */
  batchEvents: number;
  pool: Pool;
  kafka: Kafka;
  codec: EventCodec;
  topics: TopicNames;
  publisher: EventPublisher;
  logger: Logger;
  onFatal: (error: Error) => void;
}

/**
 * A consumer group building the read models of one schema from every event topic: the live
 * `projections`, or a rebuild. Stoppable and startable again (the rebuild pauses the live one
 * while it switches over).
 */
export class ProjectionConsumer {
  private consumer: BatchConsumer | null = null;
  applied = 0;

  constructor(
    private readonly deps: ProjectionConsumerDeps,
    readonly schema: string,
    readonly groupId: string,
  ) {}

  async start(): Promise<void> {
    const ledger = new EventLedger(this.deps.pool, this.schema, this.groupId);
    const write = readModelWriter(this.schema);
    this.consumer = new BatchConsumer({
      kafka: this.deps.kafka,
      groupId: this.groupId,
      topics: [this.deps.topics.lineage, this.deps.topics.gates, this.deps.topics.deployments],
      codec: this.deps.codec,
      deadLetterTopic: this.deps.topics.deadLetter,
      publisher: this.deps.publisher,
      logger: this.deps.logger,
      handler: async (batch) => {
        const rejected = await ledger.applyBatch(batch, write);
        this.applied += batch.events.length;
        return rejected;
      },
      onFatal: this.deps.onFatal,
      // Each partition has its own ledger position and models never span partitions.
      partitionsConcurrently: 3,
      chunkSize: this.deps.batchEvents,
    });
    await this.consumer.start();
  }

  isRunning(): boolean {
    return this.consumer?.isRunning() ?? false;
  }

  async stop(): Promise<void> {
    await this.consumer?.stop();
    this.consumer = null;
  }

  /** True when the group's committed offsets reach the end of every partition as it is now. */
  async caughtUp(): Promise<boolean> {
    return (await this.lag()) === 0;
  }

  /** Events on the log that this group has not committed yet, over every partition it reads. */
  async lag(): Promise<number> {
    const admin = this.deps.kafka.admin();
    await admin.connect();
    try {
      const topics = [this.deps.topics.lineage, this.deps.topics.gates, this.deps.topics.deployments];
      const committed = await admin.fetchOffsets({ groupId: this.groupId, topics });
      let behind = 0n;
      for (const topic of topics) {
        const ends = await admin.fetchTopicOffsets(topic);
        const done = committed.find((entry) => entry.topic === topic)?.partitions ?? [];
        for (const end of ends) {
          const at = BigInt(done.find((partition) => partition.partition === end.partition)?.offset ?? '-1');
          const from = at < 0n ? BigInt(end.low) : at;
          if (BigInt(end.high) > from) behind += BigInt(end.high) - from;
        }
      }
      return Number(behind);
    } finally {
      await admin.disconnect();
    }
  }
}
