import { existsSync, readFileSync } from 'node:fs';
import { ConfigError } from './config-error';

export type Env = Readonly<Record<string, string | undefined>>;

export function requiredString(env: Env, name: string): string {
  const value = env[name];
  if (value === undefined || value.trim() === '') throw new ConfigError(name, 'environment variable is not defined');
  return value.trim();
}

export function optionalString(env: Env, name: string, fallback: string): string {
  const value = env[name];
  return value === undefined || value.trim() === '' ? fallback : value.trim();
}

export function integerInRange(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  if (!/^-?\d+$/.test(raw.trim())) throw new ConfigError(name, `must be an integer, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

export function port(env: Env, name: string, fallback?: number): number {
  if (fallback === undefined) requiredString(env, name);
  return integerInRange(env, name, fallback ?? 0, 1, 65535);
}

export function booleanSetting(env: Env, name: string, fallback: boolean): boolean {
  const value = optionalString(env, name, String(fallback)).toLowerCase();
  if (value !== 'true' && value !== 'false') throw new ConfigError(name, `must be true or false, got "${value}"`);
  return value === 'true';
}

/** A comma-separated host:port list, e.g. KAFKA_BROKERS=127.0.0.1:9092,127.0.0.1:9093. */
export function hostPortList(env: Env, name: string): string[] {
  const entries = requiredString(env, name)
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  for (const entry of entries) {
    if (!/^[A-Za-z0-9.\-[\]:]+:\d{1,5}$/.test(entry)) throw new ConfigError(name, `entry "${entry}" is not host:port`);
  }
  return entries;
}

export function urlWithProtocol(env: Env, name: string, protocols: readonly string[]): URL {
  const raw = requiredString(env, name);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(name, 'is not a valid URL');
  }
  if (!protocols.includes(url.protocol)) throw new ConfigError(name, `must use ${protocols.join(' or ')}, got ${url.protocol}`);
  return url;
}

/** Kafka topic prefixes, bucket names and similar identifiers: lower-case letters, digits, dots and dashes. */
export function identifier(env: Env, name: string, fallback: string): string {
  const value = optionalString(env, name, fallback);
  if (!/^[a-z0-9][a-z0-9.-]{0,62}$/.test(value))
    throw new ConfigError(name, `must be lower-case letters, digits, dots or dashes, got "${value}"`);
  return value;
}

/** Reads KEY=value lines (comments and blank lines ignored), e.g. the local stack's .local/stack.env. */
export function readEnvFile(file: string): Record<string, string> {
  if (!existsSync(file)) throw new ConfigError(file, 'not found: start the local stack first (npm run stack:up)');
  const env: Record<string, string> = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const match = /^([A-Z0-9_]+)=(.*)$/.exec(line);
    if (match) env[match[1] as string] = match[2] as string;
  }
  return env;
}
