export { ConfigError } from './config-error';
export { requiredString, optionalString, integerInRange, port, hostPortList, urlWithProtocol, identifier, readEnvFile } from './env-readers';
export type { Env } from './env-readers';
export { DEFAULT_MAX_EVENT_BYTES, readBusSettings, readKafkaSecurity, readDatabaseUrl, readObjectStoreSettings, readHttpSettings, readServiceSettings } from './infrastructure-settings';
export type { BusSettings, KafkaSecuritySettings, KafkaSaslMechanism, ObjectStoreSettings, HttpSettings, ServiceSettings, LogLevelSetting } from './infrastructure-settings';
export { asKafkaPrincipal, kafkaClientSecurity, principalPasswordVariable } from './kafka-principal-settings';
export type { KafkaClientSecurity } from './kafka-principal-settings';
