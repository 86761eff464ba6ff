import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A broker's TLS material, made by keytool (the JDK that runs Kafka has it): a CA, and the broker's key signed by it. */
export interface KafkaTlsMaterial {
  /** PEM of the CA: what clients trust (KAFKA_TLS_CA_FILE). */
  caFile: string;
  /** PKCS12 with the broker's key and certificate chain (SAN: IP 127.0.0.1). */
  keystoreFile: string;
  /** PKCS12 with the CA: what the broker's own connections to itself trust. */
  truststoreFile: string;
  password: string;
}

/**
 * Makes (once, in `<dir>/tls`) a private CA valid for 30 days and a broker certificate it signed for
 * 127.0.0.1, the way an operator issues broker certificates from an internal CA. Tests run a broker
 * with it (`startKafka({ tls })`) to prove the clients' TLS settings (`KAFKA_TLS_*`) against a real
 * SASL_SSL listener.
 */
export function ensureKafkaTlsMaterial(dir: string): KafkaTlsMaterial {
  const tlsDir = join(dir, 'tls');
  const material: KafkaTlsMaterial = {
    caFile: join(tlsDir, 'ca.pem'),
    keystoreFile: join(tlsDir, 'broker.p12'),
    truststoreFile: join(tlsDir, 'truststore.p12'),
    password: '',
  };
  const passwordFile = join(tlsDir, 'password');
  if (existsSync(passwordFile) && existsSync(material.truststoreFile)) return { ...material, password: readFileSync(passwordFile, 'utf8') };
  rmSync(tlsDir, { recursive: true, force: true });
  mkdirSync(tlsDir, { recursive: true, mode: 0o700 });
  const password = randomBytes(18).toString('hex');
  const caStore = join(tlsDir, 'ca.p12');
  const store = (file: string) => ['-keystore', file, '-storetype', 'PKCS12', '-storepass', password];
  const keypair = (alias: string, name: string, file: string, extensions: string[]) =>
    keytool([
      '-genkeypair',
      '-alias',
      alias,
      '-keyalg',
      'EC',
      '-groupname',
      'secp256r1',
      '-dname',
      name,
      '-validity',
      '30',
      ...extensions,
      ...store(file),
    ]);
  keypair('ca', 'CN=modelreg test kafka CA', caStore, ['-ext', 'bc:c']);
  keytool(['-exportcert', '-rfc', '-alias', 'ca', '-file', material.caFile, ...store(caStore)]);
  keypair('broker', 'CN=127.0.0.1', material.keystoreFile, []);
  const request = join(tlsDir, 'broker.csr');
  const signed = join(tlsDir, 'broker.pem');
  keytool(['-certreq', '-alias', 'broker', '-file', request, ...store(material.keystoreFile)]);
  keytool([
    '-gencert',
    '-alias',
    'ca',
    '-infile',
    request,
    '-outfile',
    signed,
    '-rfc',
    '-validity',
    '30',
    '-ext',
    'san=ip:127.0.0.1',
    ...store(caStore),
  ]);
  keytool(['-importcert', '-noprompt', '-alias', 'ca', '-file', material.caFile, ...store(material.keystoreFile)]);
  keytool(['-importcert', '-noprompt', '-alias', 'broker', '-file', signed, ...store(material.keystoreFile)]);
  keytool(['-importcert', '-noprompt', '-alias', 'ca', '-file', material.caFile, ...store(material.truststoreFile)]);
  rmSync(caStore);
  writeFileSync(passwordFile, password, { mode: 0o600 });
  return { ...material, password };
}

/** Broker properties that serve SASL on TLS with `material` (after the secured listener's, whose names they complete). */
export function tlsListenerProperties(material: KafkaTlsMaterial): string[] {
  return [
    'ssl.keystore.type=PKCS12',
    `ssl.keystore.location=${material.keystoreFile}`,
    `ssl.keystore.password=${material.password}`,
    `ssl.key.password=${material.password}`,
    'ssl.truststore.type=PKCS12',
    `ssl.truststore.location=${material.truststoreFile}`,
    `ssl.truststore.password=${material.password}`,
  ];
}

function keytool(args: string[]): void {
  const javaHome = process.env['JAVA_HOME'];
  const command = javaHome && existsSync(join(javaHome, 'bin', 'keytool')) ? join(javaHome, 'bin', 'keytool') : 'keytool';
  execFileSync(command, args, { stdio: 'pipe' });
}
