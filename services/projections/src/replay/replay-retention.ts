import type { Kafka } from '@modelreg/kafka';
import type { Pool } from '@modelreg/postgres';

/** Names a replay of generation `<ms>` leaves: its schema while rebuilding, the schema it replaced, its consumer group. */
const REBUILD_SCHEMA = /^projections_rebuild_(\d+)$/;
const RETIRED_SCHEMA = /^projections_retired_(\d+)$/;

export interface ReplayLeftovers {
  retiredSchemas: string[];
  rebuildSchemas: string[];
  rebuildGroups: string[];
}

export interface RetentionPolicy {
  now: number;
  retentionMs: number;
  /** The live consumer group; replay groups are `<liveGroup>.rebuild-<generation>`. */
  liveGroup: string;
  /** The generation of a replay in progress, whose schema and group are in use. */
  activeGeneration: number | null;
}

/**
 * Pure: what a retention run removes. The newest retired schema is kept while younger than the
 * retention, for rollback; older retired schemas go. Rebuild schemas and replay groups (left by
 * finished or failed replays) go once older than the retention, except those of a replay in
 * progress. The age of each is in its name: the replay's start, ms since the epoch.
 */
export function planReplayCleanup(found: ReplayLeftovers, policy: RetentionPolicy): ReplayLeftovers {
  const expired = (generation: number) => policy.now - generation > policy.retentionMs;
  const groupPattern = new RegExp(`^${policy.liveGroup.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.rebuild-(\\d+)$`);
  const generationOf = (name: string, pattern: RegExp) => Number(pattern.exec(name)?.[1] ?? NaN);
  const retired = found.retiredSchemas
    .filter((name) => RETIRED_SCHEMA.test(name))
    .sort((a, b) => generationOf(b, RETIRED_SCHEMA) - generationOf(a, RETIRED_SCHEMA));
  const leftover = (name: string, pattern: RegExp) =>
    pattern.test(name) && generationOf(name, pattern) !== policy.activeGeneration && expired(generationOf(name, pattern));
  return {
    retiredSchemas: retired.filter((name, index) => index > 0 || expired(generationOf(name, RETIRED_SCHEMA))),
    rebuildSchemas: found.rebuildSchemas.filter((name) => leftover(name, REBUILD_SCHEMA)),
    rebuildGroups: found.rebuildGroups.filter((name) => leftover(name, groupPattern)),
  };
}

/**
 * Applies the replay retention: drops the schemas and deletes the consumer groups the plan names.
 * Schemas first, so a Kafka outage does not keep Postgres space in use.
 */
export class ReplayRetention {
  constructor(
    private readonly pool: Pool,
    private readonly kafka: Kafka,
    private readonly liveGroup: string,
    private readonly retentionMs: number,
    private readonly activeGeneration: () => number | null,
  ) {}

  async run(now = Date.now()): Promise<ReplayLeftovers> {
    const schemas = (
      await this.pool.query("SELECT nspname FROM pg_namespace WHERE nspname ~ '^projections_(retired|rebuild)_[0-9]+$'")
    ).rows.map((row: { nspname: string }) => row.nspname);
    const policy = { now, retentionMs: this.retentionMs, liveGroup: this.liveGroup, activeGeneration: this.activeGeneration() };
    const schemaPlan = planReplayCleanup({ retiredSchemas: schemas, rebuildSchemas: schemas, rebuildGroups: [] }, policy);
    for (const schema of [...schemaPlan.retiredSchemas, ...schemaPlan.rebuildSchemas])
      await this.pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const groups = (await admin.listGroups()).groups.map((group) => group.groupId);
      const { rebuildGroups } = planReplayCleanup({ retiredSchemas: [], rebuildSchemas: [], rebuildGroups: groups }, policy);
      if (rebuildGroups.length > 0) await admin.deleteGroups(rebuildGroups);
      return { ...schemaPlan, rebuildGroups };
    } finally {
      await admin.disconnect();
    }
  }
}
