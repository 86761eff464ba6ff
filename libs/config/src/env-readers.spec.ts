import { ConfigError } from './config-error';
import { readBusSettings } from './infrastructure-settings';
import { hostPortList, identifier, integerInRange, port, requiredString, urlWithProtocol } from './env-readers';

describe('configuration readers name the setting at fault', () => {
  it.each([
    ['a missing value', () => requiredString({}, 'DATABASE_URL'), 'DATABASE_URL environment variable is not defined'],
    ['a blank value', () => requiredString({ DATABASE_URL: '  ' }, 'DATABASE_URL'), 'DATABASE_URL environment variable is not defined'],
    ['a non-integer', () => integerInRange({ N: '3x' }, 'N', 1, 1, 10), 'N must be an integer, got "3x"'],
    ['an integer out of range', () => integerInRange({ N: '11' }, 'N', 1, 1, 10), 'N must be between 1 and 10, got 11'],
    ['a port of 0', () => port({ HTTP_PORT: '0' }, 'HTTP_PORT', 3000), 'HTTP_PORT must be between 1 and 65535, got 0'],
    ['a missing port without fallback', () => port({}, 'HTTP_PORT'), 'HTTP_PORT environment variable is not defined'],
    [
      'a broker without port',
      () => hostPortList({ KAFKA_BROKERS: 'localhost' }, 'KAFKA_BROKERS'),
      'KAFKA_BROKERS entry "localhost" is not host:port',
    ],
    [
      'a URL of another scheme',
      () => urlWithProtocol({ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL', ['postgres:', 'postgresql:']),
      'DATABASE_URL must use postgres: or postgresql:, got mysql:',
    ],
    ['not a URL', () => urlWithProtocol({ S3_ENDPOINT: 'nope' }, 'S3_ENDPOINT', ['http:']), 'S3_ENDPOINT is not a valid URL'],
    [
      'a MAX_EVENT_BYTES that is not a number',
      () => readBusSettings({ KAFKA_BROKERS: 'a:1', MAX_EVENT_BYTES: '4MB' }),
      'MAX_EVENT_BYTES must be an integer, got "4MB"',
    ],
    [
      'a MAX_EVENT_BYTES below 1 KiB',
      () => readBusSettings({ KAFKA_BROKERS: 'a:1', MAX_EVENT_BYTES: '10' }),
      'MAX_EVENT_BYTES must be between 1024 and 1073741824, got 10',
    ],
    [
      'an identifier with a slash',
      () => identifier({ TOPIC_PREFIX: 'a/b' }, 'TOPIC_PREFIX', 'x'),
      'TOPIC_PREFIX must be lower-case letters, digits, dots or dashes, got "a/b"',
    ],
  ])('%s', (_case, read, message) => {
    expect(read).toThrow(ConfigError);
    expect(read).toThrow(message);
  });

  it('reads well-formed values and falls back to defaults', () => {
    expect(port({ HTTP_PORT: '8080' }, 'HTTP_PORT', 3000)).toBe(8080);
    expect(port({}, 'HTTP_PORT', 3000)).toBe(3000);
    expect(hostPortList({ KAFKA_BROKERS: 'a:1, b:2' }, 'KAFKA_BROKERS')).toEqual(['a:1', 'b:2']);
    expect(identifier({}, 'TOPIC_PREFIX', 'modelreg')).toBe('modelreg');
    expect(readBusSettings({ KAFKA_BROKERS: 'a:1' }).maxEventBytes).toBe(1_000_000);
    expect(readBusSettings({ KAFKA_BROKERS: 'a:1', MAX_EVENT_BYTES: '2000000' }).maxEventBytes).toBe(2_000_000);
  });
});
