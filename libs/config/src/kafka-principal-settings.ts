import type { KafkaSaslMechanism, KafkaSecuritySettings } from './infrastructure-settings';

/**
 * The variable holding one Kafka principal's password in settings that hold them all (the local
 * stack's), e.g. KAFKA_SASL_PASSWORD_GATE_VALIDATOR for `gate-validator`.
 */
export function principalPasswordVariable(principal: string): string {
  return `KAFKA_SASL_PASSWORD_${principal.toUpperCase().replace(/-/g, '_')}`;
}

/**
 * The KAFKA_SASL_* settings of `principal`, from settings that hold every principal's password,
 * without the other principals' passwords; the SASL user is unchanged when `env` has no SASL
 * mechanism or no password for that principal.
 */
export function asKafkaPrincipal(env: Readonly<Record<string, string | undefined>>, principal: string): Record<string, string> {
  const own = Object.fromEntries(
    Object.entries(env).filter(
      (entry): entry is [string, string] => entry[1] !== undefined && !entry[0].startsWith('KAFKA_SASL_PASSWORD_'),
    ),
  );
  const password = env[principalPasswordVariable(principal)];
  if (!env['KAFKA_SASL_MECHANISM'] || !password) return own;
  return { ...own, KAFKA_SASL_USERNAME: principal, KAFKA_SASL_PASSWORD: password };
}

/** The `sasl` and `ssl` options of a kafkajs client (structurally: this library does not load kafkajs). */
export interface KafkaClientSecurity {
  /** One object type per mechanism, as kafkajs declares them. */
  sasl?: { [M in KafkaSaslMechanism]: { mechanism: M; username: string; password: string } }[KafkaSaslMechanism];
  ssl?: { rejectUnauthorized: boolean; ca?: string[]; cert?: string; key?: string };
}

/** Our security settings as kafkajs client options; none for PLAINTEXT. */
export function kafkaClientSecurity(security: KafkaSecuritySettings | null): KafkaClientSecurity {
  if (!security) return {};
  const { sasl, tls } = security;
  return {
    ...(sasl
      ? { sasl: { mechanism: sasl.mechanism, username: sasl.username, password: sasl.password } as KafkaClientSecurity['sasl'] }
      : {}),
    ...(tls
      ? {
          ssl: {
            rejectUnauthorized: tls.rejectUnauthorized,
            ...(tls.ca ? { ca: [tls.ca] } : {}),
            ...(tls.cert ? { cert: tls.cert } : {}),
            ...(tls.key ? { key: tls.key } : {}),
          },
        }
      : {}),
  };
}
