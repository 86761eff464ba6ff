import { securityOptions } from './kafka-client';

describe('kafkajs security options', () => {
  it('passes nothing for PLAINTEXT', () => {
    expect(securityOptions(null)).toEqual({});
  });

  it('maps SASL/SCRAM and mutual TLS', () => {
    const options = securityOptions({
      sasl: { mechanism: 'scram-sha-256', username: 'gate-validator', password: 'pw' },
      tls: { ca: 'CA', cert: 'CERT', key: 'KEY', rejectUnauthorized: true },
    });
    expect(options).toEqual({
      sasl: { mechanism: 'scram-sha-256', username: 'gate-validator', password: 'pw' },
      ssl: { rejectUnauthorized: true, ca: ['CA'], cert: 'CERT', key: 'KEY' },
    });
  });

  it('keeps TLS without a client certificate one-way', () => {
    expect(securityOptions({ sasl: null, tls: { ca: null, cert: null, key: null, rejectUnauthorized: false } })).toEqual({
      ssl: { rejectUnauthorized: false },
    });
  });
});
