export { ConfigError } from './config-error';
export { requiredString, optionalString, integerInRange, port, hostPortList, urlWithProtocol, identifier } from './env-readers';
export type { Env } from './env-readers';
