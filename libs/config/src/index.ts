export { ConfigError } from './config-error';
export { requiredString, optionalString, integerInRange, port, hostPortList, urlWithProtocol, identifier } from './env-readers';
export type { Env } from './env-readers';
export { readBusSettings, readDatabaseUrl, readObjectStoreSettings, readHttpSettings } from './infrastructure-settings';
export type { BusSettings, ObjectStoreSettings, HttpSettings } from './infrastructure-settings';
