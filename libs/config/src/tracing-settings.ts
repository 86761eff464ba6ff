import { booleanSetting, optionalString, urlWithProtocol, type Env } from './env-readers';
import { ConfigError } from './config-error';

/**
 * Whether the service exports traces. The OpenTelemetry SDK reads the rest of its standard
 * variables itself (OTEL_EXPORTER_OTLP_*ENDPOINT, OTEL_BSP_*); they are checked here only so a
 * malformed one stops the service at boot instead of silently dropping every span.
 */
export interface TracingSettings {
  /** `otlp`: spans go to an OTLP/HTTP (JSON) collector; `none`: the OpenTelemetry API stays a no-op. */
  exporter: 'otlp' | 'none';
}

const ENDPOINTS = ['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', 'OTEL_EXPORTER_OTLP_ENDPOINT'];

/** On when OTEL_TRACES_EXPORTER=otlp or an OTLP endpoint is set; OTEL_SDK_DISABLED=true turns it off. */
export function readTracingSettings(env: Env): TracingSettings {
  if (booleanSetting(env, 'OTEL_SDK_DISABLED', false)) return { exporter: 'none' };
  const endpoints = ENDPOINTS.filter((name) => optionalString(env, name, '') !== '');
  for (const name of endpoints) urlWithProtocol(env, name, ['http:', 'https:']);
  const exporter = optionalString(env, 'OTEL_TRACES_EXPORTER', endpoints.length > 0 ? 'otlp' : 'none');
  if (exporter !== 'otlp' && exporter !== 'none') throw new ConfigError('OTEL_TRACES_EXPORTER', `must be otlp or none, got "${exporter}"`);
  // The exporter package in use speaks OTLP over HTTP with JSON bodies only.
  const protocol = optionalString(
    env,
    'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL',
    optionalString(env, 'OTEL_EXPORTER_OTLP_PROTOCOL', 'http/json'),
  );
  if (exporter === 'otlp' && protocol !== 'http/json')
    throw new ConfigError('OTEL_EXPORTER_OTLP_PROTOCOL', `must be http/json, got "${protocol}"`);
  return { exporter };
}
