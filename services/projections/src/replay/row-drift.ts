import type { Pool } from '@modelreg/postgres';
import { READ_MODEL_TABLES } from './table-checksums';

/** A read-model row that differs between the state served and the state rebuilt from the log. */
export interface DriftedRow {
  table: string;
  /** The row's key columns, as Postgres writes a row value, e.g. `(fraud-model,3)`. */
  key: string;
  /** md5 of the served row's text; null when only the rebuild has it. */
  served: string | null;
  /** md5 of the rebuilt row's text; null when only the served state has it. */
  rebuilt: string | null;
}

/** At most this many rows per table are named; `drifted` counts them all. */
const NAMED_ROWS = 100;

/**
 * Per-row hashes of every read-model table in `served` against `rebuilt`, by key: the rows an edit
 * of the served tables (or a lost or extra row) changed, named with their keys.
 */
export async function rowDrift(pool: Pool, served: string, rebuilt: string): Promise<{ drifted: number; rows: DriftedRow[] }> {
  const rows: DriftedRow[] = [];
  let drifted = 0;
  for (const [table, key] of Object.entries(READ_MODEL_TABLES)) {
    const hashed = (schema: string) => `SELECT (ROW(${key}))::text AS key, md5(t::text) AS hash FROM ${schema}.${table} t`;
    const result = await pool.query(
      `SELECT coalesce(s.key, r.key) AS key, s.hash AS served, r.hash AS rebuilt, count(*) OVER ()::int AS total
         FROM (${hashed(served)}) s FULL JOIN (${hashed(rebuilt)}) r ON s.key = r.key
        WHERE s.hash IS DISTINCT FROM r.hash ORDER BY 1 LIMIT ${NAMED_ROWS}`,
    );
    const found = result.rows as Array<{ key: string; served: string | null; rebuilt: string | null; total: number }>;
    drifted += found[0]?.total ?? 0;
    rows.push(
      ...found.map(({ key: rowKey, served: servedHash, rebuilt: rebuiltHash }) => ({
        table,
        key: rowKey,
        served: servedHash,
        rebuilt: rebuiltHash,
      })),
    );
  }
  return { drifted, rows };
}
