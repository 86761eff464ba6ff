import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Pool } from 'pg';
import { withTransaction } from './pool';

export class MigrationError extends Error {
  readonly retriable = false;
}

export interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

/** Versioned migration files `NNN_description.sql`, in order. */
export function readMigrations(dir: string): Migration[] {
  const migrations = readdirSync(dir)
    .filter((file) => file.endsWith('.sql'))
    .map((file) => {
      const match = /^(\d+)_([a-z0-9_]+)\.sql$/.exec(file);
      if (!match) throw new MigrationError(`${join(dir, file)}: migration files are named NNN_description.sql`);
      const sql = readFileSync(join(dir, file), 'utf8');
      return { version: Number(match[1]), name: match[2] as string, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    })
    .sort((a, b) => a.version - b.version);
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) throw new MigrationError(`${dir}: migration ${index + 1} is missing (found ${migration.version})`);
  });
  return migrations;
}

/**
 * Applies pending migrations to `schema` at start, in one transaction, under an advisory lock so
 * concurrent starts do not race. A schema can hold several migration sets (a shared library's
 * tables and the service's own), each numbered on its own. An applied migration whose file
 * changed stops the start: migrations are append-only, like the event log.
 */
export async function migrate(pool: Pool, schema: string, dir: string, migrationSet = 'service'): Promise<number[]> {
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new MigrationError(`invalid schema name ${schema}`);
  const migrations = readMigrations(dir);
  return withTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`migrate:${schema}`]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${schema}.schema_migrations (` +
        'migration_set text NOT NULL, version int NOT NULL, name text NOT NULL, checksum text NOT NULL, ' +
        'applied_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (migration_set, version))',
    );
    const applied = new Map<number, string>();
    const rows = await client.query(`SELECT version, checksum FROM ${schema}.schema_migrations WHERE migration_set = $1`, [migrationSet]);
    for (const row of rows.rows as Array<{ version: number; checksum: string }>) {
      applied.set(row.version, row.checksum);
    }
    const newlyApplied: number[] = [];
    for (const migration of migrations) {
      const checksum = applied.get(migration.version);
      if (checksum !== undefined) {
        if (checksum !== migration.checksum)
          throw new MigrationError(
            `${schema} migration ${migrationSet}/${migration.version}_${migration.name} was changed after it was applied`,
          );
        continue;
      }
      await client.query(`SET LOCAL search_path TO ${schema}, public`);
      await client.query(migration.sql);
      await client.query(`INSERT INTO ${schema}.schema_migrations (migration_set, version, name, checksum) VALUES ($1, $2, $3, $4)`, [
        migrationSet,
        migration.version,
        migration.name,
        migration.checksum,
      ]);
      newlyApplied.push(migration.version);
    }
    return newlyApplied;
  });
}
