export { ConfigError } from './config-error';
export {
  requiredString,
  optionalString,
  integerInRange,
  port,
  hostPortList,
  urlWithProtocol,
  identifier,
  booleanSetting,
  readEnvFile,
} from './env-readers';
export type { Env } from './env-readers';
export {
  DEFAULT_MAX_EVENT_BYTES,
  readBusSettings,
  readKafkaSecurity,
  readDatabaseUrl,
  readObjectStoreSettings,
  readHttpSettings,
  readServiceSettings,
} from './infrastructure-settings';
export type {
  BusSettings,
  KafkaSecuritySettings,
  KafkaSaslMechanism,
  ObjectStoreSettings,
  HttpSettings,
  ServiceSettings,
  LogLevelSetting,
} from './infrastructure-settings';
export { ASYMMETRIC_ALGORITHMS, readAuthSettings, readHttpSecuritySettings } from './http-security-settings';
export type { AsymmetricAlgorithm, AuthSettings, HttpSecuritySettings } from './http-security-settings';
export { asKafkaPrincipal, kafkaClientSecurity, principalPasswordVariable } from './kafka-principal-settings';
export type { KafkaClientSecurity } from './kafka-principal-settings';
export { readTracingSettings } from './tracing-settings';
export type { TracingSettings } from './tracing-settings';
