import { mkdtempSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { credentialsEnv, ensureKafkaCredentials, scramFormatArguments, securedListenerProperties } from './kafka-security';

describe('the secured local broker', () => {
  const credentials = {
    admin: 'a1',
    ingestion: 'i1',
    'gate-validator': 'g1',
    'deployment-tracker': 'd1',
    projections: 'p1',
    trainer: 't1',
    controller: 'c1',
  };

  it('listens for clients on SASL only and authorizes with ACLs, no ACL no access', () => {
    const properties = securedListenerProperties(9092, 9093, credentials);
    expect(properties).toEqual(
      expect.arrayContaining([
        'listeners=SASL_PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093',
        'listener.security.protocol.map=SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT',
        'authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer',
        'allow.everyone.if.no.acl.found=false',
        'super.users=User:admin',
      ]),
    );
    expect(properties.join('\n')).not.toMatch(/(^|[=,])PLAINTEXT:\/\/|:PLAINTEXT\b/m);
  });

  it('creates every SCRAM user at format time and hands each principal its password by name', () => {
    expect(scramFormatArguments(credentials)).toContain('SCRAM-SHA-512=[name=trainer,password=t1]');
    expect(credentialsEnv(credentials)).toMatchObject({
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: 'admin',
      KAFKA_SASL_PASSWORD: 'a1',
      KAFKA_SASL_PASSWORD_GATE_VALIDATOR: 'g1',
      KAFKA_SASL_PASSWORD_CONTROLLER: 'c1',
    });
  });

  it('keeps generated passwords to its user and moves aside data formatted without them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kafka-security-'));
    mkdirSync(join(dir, 'data'));
    writeFileSync(join(dir, 'data', 'meta.properties'), 'node.id=1\n');
    const generated = ensureKafkaCredentials(dir, () => undefined);
    expect(Object.keys(generated).sort()).toEqual(Object.keys(credentials).sort());
    expect(statSync(join(dir, 'credentials.json')).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir).some((name) => name.startsWith('data.unsecured-'))).toBe(true);
    expect(ensureKafkaCredentials(dir, () => undefined)).toEqual(generated);
  });
});
