import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KAFKA_PRINCIPALS } from '@modelreg/kafka';
import { principalPasswordVariable, type KafkaSecuritySettings } from '@modelreg/config';
import { tlsListenerProperties, type KafkaTlsMaterial } from './kafka-tls';

/** The super user: the stack's and the tests' admin work (topics, ACLs, cleanup) and the broker's own connections. */
export const KAFKA_ADMIN_USER = 'admin';
const MECHANISM = 'SCRAM-SHA-512';

/** Every principal's password (admin and KAFKA_PRINCIPALS), generated on a broker's first secured start. */
export type KafkaCredentials = Record<string, string>;

/**
 * The broker's credentials, kept in `<dir>/credentials.json` (mode 0600) beside its data. Data
 * formatted without them (a broker from before SASL) holds no SCRAM users, so it is moved aside
 * to `data.unsecured-<time>` and the broker formats afresh.
 */
export function ensureKafkaCredentials(dir: string, log: (line: string) => void): KafkaCredentials {
  const existing = existingKafkaCredentials(dir);
  if (existing) return existing;
  const file = join(dir, 'credentials.json');
  const dataDir = join(dir, 'data');
  if (existsSync(join(dataDir, 'meta.properties'))) {
    const aside = `${dataDir}.unsecured-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    renameSync(dataDir, aside);
    log(`kafka: data formatted without SASL users moved to ${aside}`);
  }
  const credentials = Object.fromEntries([KAFKA_ADMIN_USER, ...KAFKA_PRINCIPALS].map((user) => [user, randomBytes(24).toString('hex')]));
  mkdirSync(dir, { recursive: true });
  writeFileSync(file, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  return credentials;
}

/** The credentials of a broker secured before, or null. */
export function existingKafkaCredentials(dir: string): KafkaCredentials | null {
  const file = join(dir, 'credentials.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as KafkaCredentials) : null;
}

/**
 * Listener settings of a broker that authenticates every client (SCRAM-SHA-512; on TLS with `tls`,
 * SASL_SSL, else SASL_PLAINTEXT) and authorizes with ACLs (StandardAuthorizer; no ACL, no access).
 * The controller listener uses SASL/PLAIN for the admin only: SCRAM users live in the metadata the
 * controller serves, so they cannot authenticate the controller's own connections.
 */
export function securedListenerProperties(
  port: number,
  controllerPort: number,
  credentials: KafkaCredentials,
  tls: KafkaTlsMaterial | null = null,
): string[] {
  const admin = credentials[KAFKA_ADMIN_USER] as string;
  const listener = tls ? 'SASL_SSL' : 'SASL_PLAINTEXT';
  const name = listener.toLowerCase();
  return [
    `listeners=${listener}://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
    `advertised.listeners=${listener}://127.0.0.1:${port}`,
    'controller.listener.names=CONTROLLER',
    `inter.broker.listener.name=${listener}`,
    `listener.security.protocol.map=${listener}:${listener},CONTROLLER:SASL_PLAINTEXT`,
    `listener.name.${name}.sasl.enabled.mechanisms=${MECHANISM}`,
    `sasl.mechanism.inter.broker.protocol=${MECHANISM}`,
    `listener.name.${name}.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule ` +
      `required username="${KAFKA_ADMIN_USER}" password="${admin}";`,
    'listener.name.controller.sasl.enabled.mechanisms=PLAIN',
    'sasl.mechanism.controller.protocol=PLAIN',
    `listener.name.controller.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule ` +
      `required username="${KAFKA_ADMIN_USER}" password="${admin}" user_${KAFKA_ADMIN_USER}="${admin}";`,
    'authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer',
    'allow.everyone.if.no.acl.found=false',
    `super.users=User:${KAFKA_ADMIN_USER}`,
    ...(tls ? tlsListenerProperties(tls) : []),
  ];
}

/** `kafka-storage format` arguments that create every SCRAM user with the metadata (KRaft has no other bootstrap). */
export function scramFormatArguments(credentials: KafkaCredentials): string[] {
  return Object.entries(credentials).flatMap(([name, password]) => ['--add-scram', `${MECHANISM}=[name=${name},password=${password}]`]);
}

/** Client settings: KAFKA_SASL_* for the admin, and each principal's password (KAFKA_SASL_PASSWORD_<PRINCIPAL>). */
export function credentialsEnv(credentials: KafkaCredentials): Record<string, string> {
  return {
    KAFKA_SASL_MECHANISM: MECHANISM.toLowerCase(),
    KAFKA_SASL_USERNAME: KAFKA_ADMIN_USER,
    KAFKA_SASL_PASSWORD: credentials[KAFKA_ADMIN_USER] as string,
    ...Object.fromEntries(KAFKA_PRINCIPALS.map((principal) => [principalPasswordVariable(principal), credentials[principal] as string])),
  };
}

/** The admin's client security, for the stack's own clients (readiness probe, topics, ACLs); on TLS, trusting the broker's CA. */
export function adminSecurity(credentials: KafkaCredentials, tls: KafkaTlsMaterial | null = null): KafkaSecuritySettings {
  return {
    sasl: { mechanism: 'scram-sha-512', username: KAFKA_ADMIN_USER, password: credentials[KAFKA_ADMIN_USER] as string },
    tls: tls ? { ca: readFileSync(tls.caFile, 'utf8'), cert: null, key: null, rejectUnauthorized: true } : null,
  };
}
