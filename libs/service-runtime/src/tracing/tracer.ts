import { trace } from '@opentelemetry/api';

/** The runtime's spans (HTTP requests, event sends and consumption); a no-op until a provider is registered. */
export const RUNTIME_TRACER = trace.getTracer('@modelreg/service-runtime');
