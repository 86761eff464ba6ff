import { randomUUID } from 'node:crypto';
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { EventPrincipal } from '@modelreg/events';

/**
 * Where a request came from, carried into every event it causes: the correlation id shared by
 * everything one outside request or training run causes, this request's own id, and the
 * authenticated principal (null only where authentication is not configured for the route).
 */
export interface RequestOrigin {
  correlationId: string;
  requestId: string;
  principal: EventPrincipal | null;
}

/** The fields the authentication guard and this decorator keep on the HTTP request. */
export interface RequestWithOrigin {
  headers: Record<string, string | string[] | undefined>;
  /** Set by the authentication guard once the bearer token is verified. */
  principal?: EventPrincipal;
  requestId?: string;
}

const SANE_ID = /^[\w.:-]{1,128}$/;

function header(request: RequestWithOrigin, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === 'string' && SANE_ID.test(value) ? value : undefined;
}

/** The request's id: the caller's x-request-id when it is a sane token, else one made once per request. */
export function requestIdOf(request: RequestWithOrigin): string {
  request.requestId ??= header(request, 'x-request-id') ?? randomUUID();
  return request.requestId;
}

export function requestOriginOf(request: RequestWithOrigin): RequestOrigin {
  return {
    correlationId: header(request, 'x-correlation-id') ?? randomUUID(),
    requestId: requestIdOf(request),
    principal: request.principal ?? null,
  };
}

/** Controller parameter: the request's origin (`@Origin() origin: RequestOrigin`). */
export const Origin = createParamDecorator((_data: unknown, context: ExecutionContext): RequestOrigin =>
  requestOriginOf(context.switchToHttp().getRequest<RequestWithOrigin>()),
);
