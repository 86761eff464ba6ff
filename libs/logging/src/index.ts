export { createJsonLogger } from './json-logger';
export type { Logger, LogLevel, LogFields, JsonLoggerOptions } from './json-logger';
