export { createPool, withTransaction, pingPostgres, isUniqueViolation, isPostgresConnectionError, PostgresUnavailableError } from './pool';
export type { PoolOptions, PoolErrorLogger } from './pool';
export { migrate, readMigrations, MigrationError } from './migrations';
export type { Migration } from './migrations';
export type { Pool, PoolClient } from 'pg';
export { copyRows, copyTextLine } from './copy-rows';
export type { CopyValue } from './copy-rows';
