import type { Pool } from '@modelreg/postgres';

/**
 * Read-model tables the writer only appends to and never reads: their non-unique indexes serve
 * queries alone, so a rebuild builds them once, sorted, after the bulk load instead of updating
 * them row by row. Unique indexes stay (they guard the writes), and so do the indexes of tables
 * the placement fold reads back (placements, deployments).
 */
const APPEND_ONLY_TABLES = ['event_index', 'model_versions', 'gate_decisions', 'deployment_timeline', 'online_metrics', 'ab_tests'];

/** An index dropped for the bulk load, with the statement that builds it again. */
export interface DeferredIndex {
  name: string;
  definition: string;
}

/** Drops the query-only indexes of the append-only tables in `schema`; returns what builds them again. */
export async function deferQueryIndexes(pool: Pool, schema: string): Promise<DeferredIndex[]> {
  const { rows } = await pool.query(
    `SELECT i.indexname AS name, i.indexdef AS definition
       FROM pg_indexes i JOIN pg_class c ON c.relname = i.indexname
       JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = i.schemaname
       JOIN pg_index x ON x.indexrelid = c.oid
      WHERE i.schemaname = $1 AND i.tablename = ANY($2::text[]) AND NOT x.indisunique
      ORDER BY i.indexname`,
    [schema, APPEND_ONLY_TABLES],
  );
  const deferred = rows as DeferredIndex[];
  for (const index of deferred) await pool.query(`DROP INDEX ${schema}.${index.name}`);
  return deferred;
}

/** Builds the deferred indexes again, identical to what the migrations create. */
export async function buildDeferredIndexes(pool: Pool, indexes: readonly DeferredIndex[]): Promise<void> {
  for (const index of indexes) await pool.query(index.definition);
}
