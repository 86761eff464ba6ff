import type { Logger } from '@modelreg/logging';
import { ledgerConsumer, OutboxRelay, type LedgerPipeline, type ReadinessCheck, type ServiceInfrastructure } from '@modelreg/service-runtime';
import { readModelWriter } from '../read-models/projection-writer';

export interface ProjectionConsumerDeps {
  infra: ServiceInfrastructure;
  /** Events applied per transaction. */
  batchEvents: number;
  stallSeconds: number;
  logger: Logger;
  onFatal: (error: Error) => void;
}

/**
 * A consumer group building the read models of one schema from every event topic: the live
 * `projections`, or a rebuild. Its dead letters go through that schema's outbox and relay.
 */
export class ProjectionConsumer {
  private readonly pipeline: LedgerPipeline;
  private readonly topics: string[];

  constructor(
    private readonly deps: ProjectionConsumerDeps,
    readonly schema: string,
    readonly groupId: string,
  ) {
    const { infra, logger } = deps;
    this.topics = [infra.topics.lineage, infra.topics.gates, infra.topics.deployments];
    this.pipeline = ledgerConsumer({
      infra,
      schema,
      groupId,
      topics: this.topics,
      logger,
      apply: readModelWriter(schema),
      relay: new OutboxRelay(infra.pool, schema, infra.publisher, logger),
      stallSeconds: deps.stallSeconds,
      onFatal: deps.onFatal,
      // Each partition has its own ledger position and models never span partitions.
      partitionsConcurrently: 3,
      chunkSize: deps.batchEvents,
    });
  }

  get readiness(): ReadinessCheck {
    return this.pipeline.readiness;
  }

  /** Events applied so far. */
  get applied(): number {
    return this.pipeline.eventsApplied();
  }

  start(): Promise<void> {
    return this.pipeline.start();
  }

  stop(): Promise<void> {
    return this.pipeline.stop();
  }

  /** Stops consuming after the batch in hand (the replay switches schemas meanwhile); readiness holds. */
  suspend(): Promise<void> {
    return this.pipeline.suspend();
  }

  resume(): Promise<void> {
    return this.pipeline.resume();
  }

  /** True when the group's committed offsets reach the end of every partition as it is now. */
  async caughtUp(): Promise<boolean> {
    const admin = this.deps.infra.kafka.admin();
    await admin.connect();
    try {
      const committed = await admin.fetchOffsets({ groupId: this.groupId, topics: this.topics });
      for (const topic of this.topics) {
        const ends = await admin.fetchTopicOffsets(topic);
        const done = committed.find((entry) => entry.topic === topic)?.partitions ?? [];
        for (const end of ends) {
          const at = done.find((partition) => partition.partition === end.partition)?.offset ?? '-1';
          if (BigInt(end.high) > 0n && BigInt(at) < BigInt(end.high)) return false;
        }
      }
      return true;
    } finally {
      await admin.disconnect();
    }
  }
}
