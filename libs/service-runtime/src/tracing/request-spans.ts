import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { routeTemplate } from '../metrics/http-metrics';
import { RUNTIME_TRACER } from './tracer';

/** Probes and scrapes, every few seconds on every pod: a trace each would drown the ones that matter. */
const UNTRACED_PATHS = /^\/(health|metrics)(\/|$)/;

/**
 * A server span per request (but probes and scrapes), named by method and route template,
 * continuing the caller's `traceparent` when it sent one. First in the chain, so a request refused early is traced too;
 * the body parser keeps the async context (raw-body binds its callback), so the handler runs in it.
 */
export function startRequestSpans(): RequestHandler {
  return (request: Request, response: Response, next: NextFunction) => {
    if (UNTRACED_PATHS.test(request.path)) return next();
    const callerContext = propagation.extract(ROOT_CONTEXT, request.headers);
    const span = RUNTIME_TRACER.startSpan(
      request.method,
      { kind: SpanKind.SERVER, attributes: { 'http.request.method': request.method, 'url.path': request.path } },
      callerContext,
    );
    if (!span.isRecording()) return next();
    response.once('close', () => {
      const route = routeTemplate(request);
      if (route !== 'unmatched') span.updateName(`${request.method} ${route}`).setAttribute('http.route', route);
      span.setAttribute('http.response.status_code', response.statusCode);
      if (response.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    });
    context.with(trace.setSpan(callerContext, span), next);
  };
}
