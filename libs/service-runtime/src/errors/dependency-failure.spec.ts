import { DatabaseError } from 'pg';
import { ObjectStoreUnavailableError } from '@modelreg/artifact-store';
import { KafkaUnavailableError } from '@modelreg/kafka';
import { PostgresUnavailableError } from '@modelreg/postgres';
import { dependencyFailure } from './dependency-failure';

function sqlError(code: string): DatabaseError {
  const error = new DatabaseError('server said no', 0, 'error');
  error.code = code;
  return error;
}

function socketError(code: string): Error {
  return Object.assign(new Error(`connect ${code} 127.0.0.1:5432`), { code, syscall: 'connect' });
}

describe('which dependency a failed request met', () => {
  it.each([
    ['our Postgres error', new PostgresUnavailableError('postgres unreachable'), 'postgres'],
    ['our Kafka error', new KafkaUnavailableError('publishing failed'), 'kafka'],
    ['our S3 error', new ObjectStoreUnavailableError('upload failed'), 's3'],
    ['admin shutdown (57P01, pg_terminate_backend)', sqlError('57P01'), 'postgres'],
    ['the server is starting up (57P03)', sqlError('57P03'), 'postgres'],
    ['a connection exception (08006)', sqlError('08006'), 'postgres'],
    ['too many connections (53300)', sqlError('53300'), 'postgres'],
    ['a refused connection', socketError('ECONNREFUSED'), 'postgres'],
    ['a connection cut mid-query', new Error('Connection terminated unexpectedly'), 'postgres'],
    ['the pool timing out on connect', new Error('timeout exceeded when trying to connect'), 'postgres'],
    [
      'kafkajs giving up on the broker',
      Object.assign(new Error('Connection error: connect ECONNREFUSED'), { name: 'KafkaJSNumberOfRetriesExceeded' }),
      'kafka',
    ],
    ['a wrapped connection error', new Error('loading the model failed', { cause: sqlError('57P01') }), 'postgres'],
    ['a retriable error that names no dependency', Object.assign(new Error('try again'), { retriable: true }), 'unknown'],
  ])('%s', (_case, error, dependency) => {
    expect(dependencyFailure(error)?.dependency).toBe(dependency);
  });

  it.each([
    ['a unique violation', sqlError('23505')],
    ['a syntax error', sqlError('42601')],
    ['a query canceled by statement timeout', sqlError('57014')],
    ['a programming error', new TypeError('cannot read properties of undefined')],
    [
      'a kafkajs error it does not mark retriable',
      Object.assign(new Error('bad topic'), { name: 'KafkaJSNonRetriableError', retriable: false }),
    ],
    ['an error marked not retriable', Object.assign(new Error('invalid'), { retriable: false, dependency: 'postgres' })],
    ['not an error at all', 'boom'],
  ])('%s is not a dependency failure', (_case, error) => {
    expect(dependencyFailure(error)).toBeNull();
  });
});
