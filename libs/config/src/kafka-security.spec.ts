import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from './config-error';
import { readKafkaSecurity } from './infrastructure-settings';

describe('Kafka client security settings', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kafka-tls-'));
  const ca = join(dir, 'ca.pem');
  writeFileSync(ca, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');

  it('is PLAINTEXT without authentication when nothing is set', () => {
    expect(readKafkaSecurity({})).toBeNull();
  });

  it('reads SASL/SCRAM credentials', () => {
    expect(
      readKafkaSecurity({ KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512', KAFKA_SASL_USERNAME: 'ingestion', KAFKA_SASL_PASSWORD: 's3cret' }),
    ).toEqual({
      sasl: { mechanism: 'scram-sha-512', username: 'ingestion', password: 's3cret' },
      tls: null,
    });
  });

  it('reads TLS with a CA file and verification on by default', () => {
    expect(readKafkaSecurity({ KAFKA_TLS: 'true', KAFKA_TLS_CA_FILE: ca })).toEqual({
      sasl: null,
      tls: { ca: expect.stringContaining('BEGIN CERTIFICATE'), cert: null, key: null, rejectUnauthorized: true },
    });
  });

  it.each([
    [
      'an unknown mechanism',
      { KAFKA_SASL_MECHANISM: 'gssapi' },
      'KAFKA_SASL_MECHANISM must be one of scram-sha-256, scram-sha-512, plain, got "gssapi"',
    ],
    ['a mechanism without a user', { KAFKA_SASL_MECHANISM: 'scram-sha-256' }, 'KAFKA_SASL_USERNAME environment variable is not defined'],
    [
      'a user without a password',
      { KAFKA_SASL_MECHANISM: 'scram-sha-256', KAFKA_SASL_USERNAME: 'u' },
      'KAFKA_SASL_PASSWORD environment variable is not defined',
    ],
    ['TLS neither true nor false', { KAFKA_TLS: 'yes' }, 'KAFKA_TLS must be true or false, got "yes"'],
    ['an unreadable CA file', { KAFKA_TLS: 'true', KAFKA_TLS_CA_FILE: join(dir, 'absent.pem') }, 'KAFKA_TLS_CA_FILE cannot read'],
    [
      'a client certificate without its key',
      { KAFKA_TLS: 'true', KAFKA_TLS_CERT_FILE: ca },
      'KAFKA_TLS_CERT_FILE and KAFKA_TLS_KEY_FILE go together',
    ],
  ])('refuses %s, naming the setting', (_case, env, message) => {
    const read = () => readKafkaSecurity(env);
    expect(read).toThrow(ConfigError);
    expect(read).toThrow(message);
  });
});
