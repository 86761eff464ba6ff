import { createReadStream, createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { createPool } from '@modelreg/postgres';
import { migrateServiceSchema } from '@modelreg/service-runtime';

/** Tables the migrations themselves fill. */
const SKIPPED = new Set(['schema_migrations']);

/**
 * The time to beat for a replay: the rows a replay left in `schema` (read models and ledger),
 * exported to files first, then loaded with COPY, the fastest way Postgres takes rows, into a
 * fresh schema built by the same migrations: the same tables with every index in place.
 */
export async function copyBaseline(databaseUrl: string, schema: string, migrationsDir: string): Promise<{ rows: number; seconds: number }> {
  const pool = createPool({ connectionString: databaseUrl, applicationName: 'bench-copy-baseline', max: 2 });
  const target = `${schema}_copy_baseline`;
  const dir = mkdtempSync(join(tmpdir(), 'copy-baseline-'));
  const client = await pool.connect();
  try {
    await migrateServiceSchema(pool, target, migrationsDir);
    const tables = (
      (await client.query(`SELECT tablename FROM pg_tables WHERE schemaname = $1 ORDER BY tablename`, [schema])).rows as Array<{
        tablename: string;
      }>
    )
      .map((row) => row.tablename)
      .filter((table) => !SKIPPED.has(table));
    let rows = 0;
    for (const table of tables) {
      await pipeline(client.query(copyTo(`COPY ${schema}.${table} TO STDOUT`)), createWriteStream(join(dir, table)));
      rows += Number(((await client.query(`SELECT count(*) AS n FROM ${schema}.${table}`)).rows[0] as { n: string }).n);
    }
    const started = performance.now();
    await client.query('BEGIN');
    for (const table of tables)
      await pipeline(createReadStream(join(dir, table)), client.query(copyFrom(`COPY ${target}.${table} FROM STDIN`)));
    await client.query('COMMIT');
    return { rows, seconds: (performance.now() - started) / 1000 };
  } finally {
    await client.query(`DROP SCHEMA IF EXISTS ${target} CASCADE`).catch(() => undefined);
    client.release();
    await pool.end();
    rmSync(dir, { recursive: true, force: true });
  }
}
