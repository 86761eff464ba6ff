import type { Logger } from '@modelreg/logging';
import { ledgerConsumer, type LedgerPipeline, type ReadinessCheck, type ServiceInfrastructure } from '@modelreg/service-runtime';
import { readModelWriter } from '../read-models/projection-writer';

/**
 * Every instance's consumer of `schema` applies its batches holding this lock shared; the switch
 * to a rebuilt schema holds it exclusively, so no instance writes while the schemas are renamed.
 */
export function schemaSwitchLock(schema: string): string {
  return `schema-switch:${schema}`;
}

export interface ProjectionConsumerDeps {
  infra: ServiceInfrastructure;
  /** Events applied per transaction. */
  batchEvents: number;
  /** Most bytes fetched per partition at a time (PROJECTIONS_FETCH_MIB). */
  fetchBytesPerPartition: number;
  stallSeconds: number;
  logger: Logger;
  onFatal: (error: Error) => void;
}

/**
 * A consumer group building the read models of one schema from every event topic: the live
 * `projections`, or a rebuild. Its dead letters go through that schema's outbox, relayed while it
 * runs. Stoppable and startable again: the rebuild stops the live one (consumer and relay) while
 * it renames the schemas, and starts it afresh on the renamed one.
 */
export class ProjectionConsumer {
  private pipeline: LedgerPipeline | null = null;
  private appliedBefore = 0;
  private readonly topics: string[];

  constructor(
    private readonly deps: ProjectionConsumerDeps,
    readonly schema: string,
    readonly groupId: string,
  ) {
    this.topics = [deps.infra.topics.lineage, deps.infra.topics.gates, deps.infra.topics.deployments];
  }

  /** The running pipeline's readiness (down, or a stalled partition named with its lag). */
  readonly readiness: ReadinessCheck = {
    name: 'consumer',
    check: async () => {
      if (!this.pipeline) throw new Error('consumer is not running');
      await this.pipeline.readiness.check();
    },
  };

  /** Events applied so far. */
  get applied(): number {
    return this.appliedBefore + (this.pipeline?.eventsApplied() ?? 0);
  }

  isRunning(): boolean {
    return this.pipeline !== null;
  }

  async start(): Promise<void> {
    const { infra, logger } = this.deps;
    const pipeline = ledgerConsumer({
      infra,
      schema: this.schema,
      groupId: this.groupId,
      topics: this.topics,
      logger,
      apply: readModelWriter(this.schema),
      relay: infra.outboxRelay(this.schema),
      stallSeconds: this.deps.stallSeconds,
      onFatal: this.deps.onFatal,
      // Each partition has its own ledger position and models never span partitions.
      partitionsConcurrently: 3,
      chunkSize: this.deps.batchEvents,
      fetchBytesPerPartition: this.deps.fetchBytesPerPartition,
      sharedLock: schemaSwitchLock(this.schema),
    });
    await pipeline.start();
    this.pipeline = pipeline;
  }

  /** Stops the consumer after its batch in hand, then the relay after its pass. */
  async stop(): Promise<void> {
    const pipeline = this.pipeline;
    this.pipeline = null;
    if (!pipeline) return;
    await pipeline.stop();
    this.appliedBefore += pipeline.eventsApplied();
  }

  /** True when the group's committed offsets reach the end of every partition as it is now. */
  async caughtUp(): Promise<boolean> {
    return (await this.lag()) === 0;
  }

  /** Events on the log that this group has not committed yet, over every partition it reads. */
  async lag(): Promise<number> {
    const admin = this.deps.infra.kafka.admin();
    await admin.connect();
    try {
      const committed = await admin.fetchOffsets({ groupId: this.groupId, topics: this.topics });
      let behind = 0n;
      for (const topic of this.topics) {
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
