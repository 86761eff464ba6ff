import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { routeTemplate } from '../metrics/http-metrics';
import { RUNTIME_TRACER } from './tracer';

const REQUEST_SPANS = new WeakMap<Request, Span>();

/**
 * A server span per request, named by method and route template, continuing the caller's
 * `traceparent` when it sent one. First in the chain, so a request refused early is traced too.
 */
export function startRequestSpans(): RequestHandler {
  return (request: Request, response: Response, next: NextFunction) => {
    const callerContext = propagation.extract(ROOT_CONTEXT, request.headers);
    const span = RUNTIME_TRACER.startSpan(request.method, { kind: SpanKind.SERVER, attributes: { 'http.request.method': request.method, 'url.path': request.path } }, callerContext);
    if (!span.isRecording()) return next();
    REQUEST_SPANS.set(request, span);
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

/**
 * Makes the request's span the active one again. The body parser calls on from a stream callback,
 * where the context set before it is lost; this runs right after it.
 */
export function continueRequestSpans(): RequestHandler {
  return (request: Request, _response: Response, next: NextFunction) => {
    const span = REQUEST_SPANS.get(request);
    if (!span) return next();
    context.with(trace.setSpan(context.active(), span), next);
  };
}
