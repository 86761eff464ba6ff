import type { TracingSettings } from '@modelreg/config';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';

/** The process's tracer provider, as far as a service needs it. */
export interface Tracing {
  /** Exports the spans that have ended and not gone out yet. */
  flush(): Promise<void>;
  /** Exports what is left and stops. */
  shutdown(): Promise<void>;
}

const NO_TRACING: Tracing = { flush: async () => undefined, shutdown: async () => undefined };

/**
 * Starts the OpenTelemetry SDK when the settings ask for an exporter; otherwise the API stays the
 * no-op it is by default and every span the runtime asks for costs next to nothing. The OTLP
 * exporter and the batch processor read their standard variables themselves
 * (OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_BSP_SCHEDULE_DELAY, ...).
 */
export function startTracing(serviceName: string, settings: TracingSettings): Tracing {
  if (settings.exporter === 'none') return NO_TRACING;
  return registerTracing(serviceName, new OTLPTraceExporter());
}

/**
 * Registers the process-wide tracer provider: spans batched to `exporter`, context carried across
 * `await` (AsyncLocalStorage), W3C `traceparent`/`tracestate` as the propagation format. Once per
 * process: the OpenTelemetry API keeps the first provider registered.
 */
export function registerTracing(serviceName: string, exporter: SpanExporter): Tracing {
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: serviceName }),
    spanProcessors: [new BatchSpanProcessor(exporter)],
  });
  provider.register({ propagator: new W3CTraceContextPropagator() });
  return { flush: () => provider.forceFlush(), shutdown: () => provider.shutdown() };
}
