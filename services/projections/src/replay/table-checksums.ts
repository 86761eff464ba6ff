import type { Pool } from '@modelreg/postgres';

/** Read-model tables and the columns that order their rows: what a rebuild must reproduce exactly. */
export const READ_MODEL_TABLES: Readonly<Record<string, string>> = {
  event_index: 'event_id',
  models: 'model_name',
  model_versions: 'model_name, model_version',
  gate_decisions: 'event_id',
  reproductions: 'event_id',
  placements: 'model_name, environment, service, surface',
  deployments: 'deployment_id',
  deployment_timeline: 'event_id',
  online_metrics: 'event_id',
  ab_tests: 'event_id',
  version_data_snapshots: 'snapshot_id, model_name, model_version',
  version_features: 'feature_name, feature_version, model_name, model_version',
};

export interface TableChecksum {
  rows: number;
  /**
   * md5 over the md5 of every row's text, in key order (hashing rows first keeps a million-row table well
   * under Postgres's 1 GB value limit).
   */
  md5: string;
}

/**
 * An ordered checksum per read-model table of `schema`, to prove two builds hold the same state;
 * and under `indexes`, one over every index definition of the schema (a rebuild builds some of
 * them after its bulk load, and must end with the same set the migrations create).
 */
export async function tableChecksums(pool: Pool, schema: string): Promise<Record<string, TableChecksum>> {
  const result: Record<string, TableChecksum> = {};
  for (const [table, order] of Object.entries(READ_MODEL_TABLES)) {
    const row = (
      await pool.query(
        `SELECT count(*)::int AS rows, md5(coalesce(string_agg(md5(t::text), '' ORDER BY ${order}), '')) AS md5 FROM ${schema}.${table} t`,
      )
    ).rows[0] as TableChecksum;
    result[table] = row;
  }
  result['indexes'] = (
    await pool.query(
      `SELECT count(*)::int AS rows, ` +
        `md5(coalesce(string_agg(replace(indexdef, ' ON ' || schemaname || '.', ' ON '), E'\\n' ORDER BY indexname), '')) AS md5 ` +
        'FROM pg_indexes WHERE schemaname = $1',
      [schema],
    )
  ).rows[0] as TableChecksum;
  return result;
}
