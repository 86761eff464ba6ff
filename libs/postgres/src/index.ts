export { createPool, withTransaction, pingPostgres, isUniqueViolation, PostgresUnavailableError } from './pool';
export type { PoolOptions } from './pool';
export { isTransientPostgresError } from './postgres-errors';
export { migrate, readMigrations, MigrationError } from './migrations';
export type { Migration } from './migrations';
export type { Pool, PoolClient } from 'pg';
