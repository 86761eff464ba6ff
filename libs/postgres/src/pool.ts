import { Pool, type PoolClient } from 'pg';

/** A lost connection or an unreachable server; retrying later can help. */
export class PostgresUnavailableError extends Error {
  readonly retriable = true;
  constructor(message: string, cause?: unknown) {
    super(message, { cause });
    this.name = 'PostgresUnavailableError';
  }
}

export interface PoolOptions {
  connectionString: string;
  applicationName: string;
  max?: number;
}

export function createPool(options: PoolOptions): Pool {
  return new Pool({
    connectionString: options.connectionString,
    application_name: options.applicationName,
    max: options.max ?? 10,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
  });
}

/**
 * Runs `work` in one transaction: committed if it resolves, rolled back if it throws. Not getting
 * a connection at all (server down, database not accepting connections) is PostgresUnavailableError.
 */
export async function withTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect().catch((error: Error) => {
    throw new PostgresUnavailableError(`postgres unreachable: ${error.message}`, error);
  });
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

export async function pingPostgres(pool: Pool): Promise<void> {
  try {
    await pool.query('SELECT 1');
  } catch (error) {
    throw new PostgresUnavailableError(`postgres unreachable: ${(error as Error).message}`, error);
  }
}

/** Postgres unique_violation. */
export function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === '23505';
}
