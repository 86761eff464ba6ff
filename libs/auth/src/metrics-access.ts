import type { HttpSecuritySettings } from '@modelreg/config';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { forbidden, unauthenticated, type Refusal } from './access-refusal';
import { authenticate, type AuthenticatedRequest } from './authenticate';
import { AuthenticationError, type TokenVerifier } from './token-verifier';

/**
 * GET /metrics is served outside Nest's router, so the access guard does not see it: this
 * middleware asks for a token with the `metrics` role (Prometheus sends one with
 * `authorization.credentials_file`), unless METRICS_PUBLIC=true leaves it open to the network.
 */
export function metricsAccess(settings: HttpSecuritySettings, verifier: TokenVerifier): RequestHandler {
  return (request: Request, response: Response, next: NextFunction) => {
    if (settings.metricsPublic) return next();
    const refuse = (refusal: Refusal) => response.status(refusal.status).set(refusal.headers).json(refusal.body);
    authenticate(request as unknown as AuthenticatedRequest, verifier, settings.auth).then(
      (caller) =>
        caller.roles.has('metrics')
          ? next()
          : refuse(forbidden(`requires role metrics (the token's roles: ${[...caller.roles].join(', ') || 'none'})`)),
      (error: unknown) => (error instanceof AuthenticationError ? refuse(unauthenticated(error)) : next(error)),
    );
  };
}
