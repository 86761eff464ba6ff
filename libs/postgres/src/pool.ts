import { DatabaseError, Pool, type PoolClient } from 'pg';

/** What a pool reports its lost connections to; the service's JSON logger fits. */
export interface PoolErrorLogger {
  warn(message: string, fields?: Record<string, unknown>): void;
}

/** A lost connection or an unreachable server; retrying later can help. */
export class PostgresUnavailableError extends Error {
  readonly retriable = true;
  readonly dependency = 'postgres';
  constructor(message: string, cause?: unknown) {
    super(message, { cause });
    this.name = 'PostgresUnavailableError';
  }
}

export interface PoolOptions {
  connectionString: string;
  applicationName: string;
  max?: number;
  /** Where lost connections are reported; they never end the process. */
  logger?: PoolErrorLogger;
}

/**
 * A pool that survives its server: a connection terminated while idle (pg_terminate_backend, a
 * Postgres restart) or while checked out is reported and dropped, never thrown at the process
 * (pg emits such errors as events, and an unheard 'error' event ends Node). The next query opens
 * a fresh connection, or fails with a connection error while the server is down.
 */
export function createPool(options: PoolOptions): Pool {
  const pool = new Pool({
    connectionString: options.connectionString,
    application_name: options.applicationName,
    max: options.max ?? 10,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
  });
  const report = (error: Error, where: string) =>
    options.logger?.warn('postgres connection lost', {
      where,
      error: { name: error.name, message: error.message, code: (error as { code?: string }).code },
    });
  pool.on('error', (error) => report(error, 'idle'));
  // A checked-out client has no pool listener; without this one, losing it between queries ends the process.
  pool.on('connect', (client) => client.on('error', (error) => report(error, 'checked-out')));
  return pool;
}

/**
 * Runs `work` in one transaction: committed if it resolves, rolled back if it throws. Not getting
 * a connection at all (server down, database not accepting connections) is PostgresUnavailableError.
 */
export async function withTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect().catch((error: Error) => {
    throw new PostgresUnavailableError(`postgres unreachable: ${error.message}`, error);
  });
  let failure: unknown;
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    failure = error;
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    // A connection that failed is discarded rather than handed to the next caller.
    client.release(isPostgresConnectionError(failure) ? (failure as Error) : undefined);
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

/**
 * SQLSTATEs that say the server or the connection is gone, not that the statement is wrong:
 * class 08 (connection exception), 57P01-57P03 (admin shutdown, crash shutdown, cannot connect
 * now) and 53300 (too many connections).
 */
const UNAVAILABLE_SQLSTATE = /^(08[0-9A-Z]{3}|57P0[1-3]|53300)$/;
/** Socket errors of a connection that could not be opened or was cut. */
const SOCKET_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
/** pg reports its own connection failures as plain Errors with these messages. */
const PG_CONNECTION_MESSAGES = new RegExp(
  [
    'Connection terminated',
    'timeout exceeded when trying to connect',
    'Client has encountered a connection error',
    'Client was closed and is not queryable',
  ].join('|'),
);

/**
 * True when `error` (from pg or from this library) means Postgres is unreachable right now and
 * a retry later can succeed; false for errors about the statement or the data.
 */
export function isPostgresConnectionError(error: unknown): boolean {
  if (error instanceof PostgresUnavailableError) return true;
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (error instanceof DatabaseError) return typeof code === 'string' && UNAVAILABLE_SQLSTATE.test(code);
  if (typeof code === 'string' && (SOCKET_ERROR_CODES.has(code) || UNAVAILABLE_SQLSTATE.test(code))) return true;
  return PG_CONNECTION_MESSAGES.test(error.message);
}
