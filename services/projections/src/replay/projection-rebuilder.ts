import type { Logger } from '@modelreg/logging';
import { withTransaction, type Pool } from '@modelreg/postgres';
import { migrateServiceSchema } from '@modelreg/service-runtime';
import { PROJECTIONS_SCHEMA } from '../projections.constants';
import { ProjectionConsumer, schemaSwitchLock, type ProjectionConsumerDeps } from './projection-consumer';
import { buildDeferredIndexes, deferQueryIndexes } from './deferred-indexes';
import { rowDrift, type DriftedRow } from './row-drift';
import { tableChecksums, type TableChecksum } from './table-checksums';

export interface ReplayStatus {
  state: 'idle' | 'rebuilding' | 'switching' | 'verifying' | 'done' | 'failed';
  schema?: string;
  startedAt?: string;
  finishedAt?: string;
  eventsApplied?: number;
  eventsPerSecond?: number;
  rebuildSeconds?: number;
  /** Per read-model table: the state replaced (live) and the rebuilt one, which must be equal. */
  checksums?: Record<string, { live: TableChecksum; rebuilt: TableChecksum; equal: boolean }>;
  checksumError?: string;
  error?: string;
}

/** The served read models against a rebuild from the log, row by row (GET /v1/verify/state). */
export interface StateVerification {
  state: 'idle' | 'rebuilding' | 'comparing' | 'done' | 'failed';
  startedAt?: string;
  finishedAt?: string;
  /** Rows that differ; `rows` names up to 100 per table. */
  drifted?: number;
  rows?: DriftedRow[];
  error?: string;
}

export class ReplayConflictError extends Error {
  readonly retriable = false;
}

/**
 * Rebuilds every read model from offset 0 into a fresh schema with its own consumer group while
 * the live schema keeps serving queries, with the query-only indexes built after the bulk load
 * (deferred-indexes); when the rebuild has caught up and they are built, pauses the live consumer
 * (this instance's, and every other instance's through the switch lock), lets the rebuild take
 * the last events, renames the schemas in one transaction (queries never
 * see a half state) and resumes. The replaced schema is kept as projections_retired_<time> so
 * the two can be compared table by table, and for rollback, until the replay retention removes it.
 */
export class ProjectionRebuilder {
  private status: ReplayStatus = { state: 'idle' };
  private verification: StateVerification = { state: 'idle' };

  constructor(
    private readonly deps: ProjectionConsumerDeps,
    private readonly live: ProjectionConsumer,
    private readonly migrationsDir: string,
    private readonly logger: Logger,
  ) {}

  current(): ReplayStatus {
    return { ...this.status };
  }

  /** The generation (start, ms) of the replay in progress, whose schema and group are in use; null when none runs. */
  activeGeneration(): number | null {
    const inProgress = this.status.state === 'rebuilding' || this.status.state === 'switching' || this.status.state === 'verifying';
    return inProgress && this.status.startedAt ? Date.parse(this.status.startedAt) : null;
  }

  start(): ReplayStatus {
    if (this.status.state === 'rebuilding' || this.status.state === 'switching' || this.status.state === 'verifying')
      throw new ReplayConflictError(`a replay is already ${this.status.state}`);
    if (this.verificationRunning()) throw new ReplayConflictError('a state verification is running');
    const generation = Date.now();
    this.status = {
      state: 'rebuilding',
      schema: `projections_rebuild_${generation}`,
      startedAt: new Date(generation).toISOString(),
      eventsApplied: 0,
    };
    void this.run(generation).catch((error: Error) => {
      this.logger.error('replay failed', { error });
      this.status = { ...this.status, state: 'failed', error: error.message, finishedAt: new Date().toISOString() };
    });
    return this.current();
  }

  currentVerification(): StateVerification {
    return { ...this.verification };
  }

  /**
   * Verifies the served read models against the log: rebuilds them from offset 0 into a scratch
   * schema, pauses the live consumer once the rebuild has caught up (so both hold the same events),
   * compares every row's hash by key, resumes, and drops the scratch schema. Edited, lost or extra
   * rows are reported with their keys instead of being served silently. Events appended while the
   * live consumer pauses reach only the rebuild: on a busy log, run it again before acting on a
   * row that only the rebuild has.
   */
  verifyState(): StateVerification {
    if (this.verificationRunning() || this.activeGeneration() !== null)
      throw new ReplayConflictError('a replay or a state verification is running');
    const generation = Date.now();
    this.verification = { state: 'rebuilding', startedAt: new Date(generation).toISOString() };
    void this.compareWithRebuild(generation).catch((error: Error) => {
      this.logger.error('state verification failed', { error });
      this.verification = { ...this.verification, state: 'failed', error: error.message, finishedAt: new Date().toISOString() };
    });
    return this.currentVerification();
  }

  private verificationRunning(): boolean {
    return this.verification.state === 'rebuilding' || this.verification.state === 'comparing';
  }

  private async compareWithRebuild(generation: number): Promise<void> {
    const { pool } = this.deps.infra;
    const schema = `projections_verify_${generation}`;
    await migrateServiceSchema(pool, schema, this.migrationsDir);
    const rebuild = new ProjectionConsumer(this.deps, schema, `${this.live.groupId}.verify-${generation}`);
    try {
      await rebuild.start();
      await waitFor(() => rebuild.caughtUp());
      this.verification.state = 'comparing';
      await this.live.stop();
      try {
        await waitFor(() => rebuild.caughtUp());
        await rebuild.stop();
        const drift = await rowDrift(pool, PROJECTIONS_SCHEMA, schema);
        this.verification = { ...this.verification, state: 'done', ...drift, finishedAt: new Date().toISOString() };
      } finally {
        await this.live.start();
      }
    } finally {
      await rebuild.stop();
      await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    }
  }

  private async run(generation: number): Promise<void> {
    const { pool } = this.deps.infra;
    const schema = `projections_rebuild_${generation}`;
    const retired = `projections_retired_${generation}`;
    await migrateServiceSchema(pool, schema, this.migrationsDir);
    const deferred = await deferQueryIndexes(pool, schema);
    const rebuild = new ProjectionConsumer(this.deps, schema, `${this.live.groupId}.rebuild-${generation}`);
    const progress = setInterval(() => (this.status.eventsApplied = rebuild.applied), 500);
    try {
      await rebuild.start();
      await waitFor(() => rebuild.caughtUp());
      // Built while the live schema still serves; the rebuild's inserts wait on the build meanwhile.
      await buildDeferredIndexes(pool, deferred);
      this.status.state = 'switching';
      await this.live.stop();
      // Other instances keep consuming: holding the switch lock waits for their batches in
      // flight and holds back the next ones until the rebuilt schema is `projections`. The rebuild
      // then takes everything they had applied, and they resume on the rebuilt schema, skipping
      // what it already holds (the ledger's positions).
      const holder = await pool.connect();
      try {
        await holder.query('SELECT pg_advisory_lock(hashtext($1))', [schemaSwitchLock(PROJECTIONS_SCHEMA)]);
        await waitFor(() => rebuild.caughtUp());
        await rebuild.stop();
        await switchOver(pool, schema, retired, this.live.groupId, rebuild.groupId);
      } finally {
        // Releasing a broken connection destroys it, which ends the session and its lock.
        const unlocked = await holder.query('SELECT pg_advisory_unlock(hashtext($1))', [schemaSwitchLock(PROJECTIONS_SCHEMA)]).then(
          () => true,
          () => false,
        );
        holder.release(!unlocked);
        await this.live.start();
      }
    } finally {
      clearInterval(progress);
      await rebuild.stop();
    }
    const seconds = (Date.now() - generation) / 1000;
    this.status = {
      ...this.status,
      state: 'verifying',
      eventsApplied: rebuild.applied,
      rebuildSeconds: seconds,
      eventsPerSecond: Math.round(rebuild.applied / seconds),
    };
    try {
      const before = await tableChecksums(pool, retired);
      const after = await tableChecksums(pool, PROJECTIONS_SCHEMA);
      this.status.checksums = Object.fromEntries(
        Object.keys(after).map((table) => [
          table,
          { live: before[table] as TableChecksum, rebuilt: after[table] as TableChecksum, equal: before[table]?.md5 === after[table]?.md5 },
        ]),
      );
    } catch (error) {
      // The switch is done; only the comparison failed, and says so.
      this.status.checksumError = (error as Error).message;
    }
    this.status = { ...this.status, state: 'done', finishedAt: new Date().toISOString() };
    this.logger.info('replay done', { schema: PROJECTIONS_SCHEMA, retired, events: rebuild.applied, seconds });
  }
}

/**
 * The atomic switch: the rebuilt schema becomes `projections` in one transaction. Both consumers
 * and their relays are stopped; dead letters either queued and its relay has not sent yet stay
 * queued, renumbered above every row the live outbox ever had, so the relay of the renamed schema
 * (records name their outbox row) never mistakes a record the old one appended for one of them.
 */
async function switchOver(pool: Pool, schema: string, retired: string, liveGroup: string, rebuildGroup: string): Promise<void> {
  await withTransaction(pool, async (client) => {
    await client.query(`DELETE FROM ${schema}.consumer_positions WHERE consumer_group = $1`, [liveGroup]);
    await client.query(
      `INSERT INTO ${schema}.consumer_positions (consumer_group, topic, kafka_partition, next_offset) ` +
        `SELECT $1, topic, kafka_partition, next_offset FROM ${schema}.consumer_positions WHERE consumer_group = $2`,
      [liveGroup, rebuildGroup],
    );
    // The live group goes on from the rebuild's position, so from the chain heads the rebuild believed.
    await client.query(`DELETE FROM ${schema}.verified_chain_heads WHERE consumer_group = $1`, [liveGroup]);
    await client.query(`UPDATE ${schema}.verified_chain_heads SET consumer_group = $1 WHERE consumer_group = $2`, [
      liveGroup,
      rebuildGroup,
    ]);
    await client.query(
      `SELECT setval('${schema}.outbox_id_seq', ` +
        `GREATEST((SELECT last_value FROM ${PROJECTIONS_SCHEMA}.outbox_id_seq), (SELECT last_value FROM ${schema}.outbox_id_seq)))`,
    );
    await client.query(
      `WITH leftover AS (DELETE FROM ${schema}.outbox RETURNING *) ` +
        `INSERT INTO ${schema}.outbox (topic, message_key, value, headers) ` +
        'SELECT topic, message_key, value, headers FROM leftover ORDER BY id',
    );
    await client.query(
      `INSERT INTO ${schema}.outbox (topic, message_key, value, headers) ` +
        `SELECT topic, message_key, value, headers FROM ${PROJECTIONS_SCHEMA}.outbox ORDER BY id`,
    );
    await client.query(`ALTER SCHEMA ${PROJECTIONS_SCHEMA} RENAME TO ${retired}`);
    await client.query(`ALTER SCHEMA ${schema} RENAME TO ${PROJECTIONS_SCHEMA}`);
  });
}

async function waitFor(condition: () => Promise<boolean>): Promise<void> {
  while (!(await condition())) await new Promise((resolve) => setTimeout(resolve, 250));
}
