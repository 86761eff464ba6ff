import { readTracingSettings } from './tracing-settings';

describe('tracing settings', () => {
  it.each([
    ['nothing set', {}, 'none'],
    ['an OTLP endpoint', { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }, 'otlp'],
    ['a traces endpoint', { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://collector/v1/traces' }, 'otlp'],
    ['the exporter named, endpoint left to its default', { OTEL_TRACES_EXPORTER: 'otlp' }, 'otlp'],
    [
      'an endpoint but the exporter set to none',
      { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_TRACES_EXPORTER: 'none' },
      'none',
    ],
    ['the SDK disabled', { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SDK_DISABLED: 'true' }, 'none'],
    [
      'JSON named as the protocol',
      { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' },
      'otlp',
    ],
  ])('%s', (_case, env, exporter) => {
    expect(readTracingSettings(env)).toEqual({ exporter });
  });

  it.each([
    ['an exporter this build lacks', { OTEL_TRACES_EXPORTER: 'zipkin' }, 'OTEL_TRACES_EXPORTER must be otlp or none, got "zipkin"'],
    [
      'a protocol the exporter does not speak',
      { OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' },
      'OTEL_EXPORTER_OTLP_PROTOCOL must be http/json, got "grpc"',
    ],
    [
      'an endpoint that is not a URL',
      { OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' },
      'OTEL_EXPORTER_OTLP_ENDPOINT must use http: or https:, got collector:',
    ],
  ])('stops the service on %s', (_case, env, message) => {
    expect(() => readTracingSettings(env)).toThrow(message);
  });
});
