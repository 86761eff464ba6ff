import { KafkaUnavailableError } from '@modelreg/kafka';
import { PostgresUnavailableError } from '@modelreg/postgres';
import { handlerFailureReason, isRetriable } from './failure-kind';

function pgError(code: string, message = `error ${code}`, detail?: string): Error {
  return Object.assign(new Error(message), { code, detail });
}

describe('failure classification: an outage is retried, a failure caused by the event is not', () => {
  it.each([
    [
      'connection refused',
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED', errno: -111, syscall: 'connect' }),
    ],
    [
      'refused on every address',
      new AggregateError([Object.assign(new Error('connect ECONNREFUSED ::1:5432'), { code: 'ECONNREFUSED' })], ''),
    ],
    ['connection terminated', new Error('Connection terminated unexpectedly')],
    ['pool connect timeout', new Error('timeout exceeded when trying to connect')],
    ['a broken client', new Error('Client has encountered a connection error and is not queryable')],
    ['admin shutdown 57P01', pgError('57P01', 'terminating connection due to administrator command')],
    ['crash shutdown 57P02', pgError('57P02')],
    ['cannot connect now 57P03', pgError('57P03', 'the database system is starting up')],
    ['connection exception 08006', pgError('08006')],
    ['too many connections 53300', pgError('53300')],
    ['serialization failure 40001', pgError('40001')],
    ['deadlock 40P01', pgError('40P01')],
    ['Kafka unavailable', new KafkaUnavailableError('publishing 1 message(s) failed')],
    ['Postgres unavailable', new PostgresUnavailableError('postgres unreachable')],
    ['a marked error of another adapter', Object.assign(new Error('s3 down'), { retriable: true })],
    [
      'kafkajs giving up on a retriable cause',
      Object.assign(new Error('retries exceeded', { cause: Object.assign(new Error('broker gone'), { retriable: true }) }), {
        name: 'KafkaJSNumberOfRetriesExceeded',
        retriable: false,
      }),
    ],
    ['a handler error caused by an outage', new Error('could not record', { cause: pgError('57P01') })],
    ['a missing table 42P01 (every event would fail alike)', pgError('42P01', 'relation "projections.models" does not exist')],
    ['no privilege 42501', pgError('42501')],
    ['a schema that does not exist 3F000', pgError('3F000')],
  ])('retriable: %s', (_case, error) => {
    expect(isRetriable(error)).toBe(true);
  });

  it.each([
    ['untranslatable character 22P05', pgError('22P05', 'unsupported Unicode escape sequence')],
    ['invalid text representation 22P02', pgError('22P02')],
    ['numeric out of range 22003', pgError('22003')],
    ['unique violation 23505', pgError('23505')],
    ['check violation 23514', pgError('23514')],
    ['a plain handler error', new Error('unhandled event')],
    ['a TypeError', new TypeError("Cannot read properties of undefined (reading 'x')")],
    ['an error marked not retriable', Object.assign(new Error('hash mismatch'), { retriable: false })],
    ['a thrown string', 'boom'],
  ])('not retriable: %s', (_case, error) => {
    expect(isRetriable(error)).toBe(false);
  });

  it('gives the handler failure as a reason with the SQLSTATE and detail when Postgres said so', () => {
    expect(handlerFailureReason(pgError('22P05', 'unsupported Unicode escape sequence', '\\u0000 cannot be converted to text.'))).toBe(
      'handler failed: unsupported Unicode escape sequence (SQLSTATE 22P05): \\u0000 cannot be converted to text.',
    );
    expect(handlerFailureReason(new Error('unhandled event'))).toBe('handler failed: unhandled event');
  });
});
