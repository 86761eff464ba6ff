export { ConfigError } from './config-error';
export { requiredString, optionalString, integerInRange, port, hostPortList, urlWithProtocol, identifier, readEnvFile } from './env-readers';
export type { Env } from './env-readers';
export { DEFAULT_MAX_EVENT_BYTES, readBusSettings, readDatabaseUrl, readObjectStoreSettings, readHttpSettings, readServiceSettings } from './infrastructure-settings';
export type { BusSettings, ObjectStoreSettings, HttpSettings, ServiceSettings, LogLevelSetting } from './infrastructure-settings';
