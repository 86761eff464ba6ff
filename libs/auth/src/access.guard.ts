import { Inject, Injectable, Logger, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { HttpSecuritySettings } from '@modelreg/config';
import { ACCESS_RULE, type AccessRule } from './access-rule';
import { forbidden, refusalException, unauthenticated } from './access-refusal';
import { authenticate, type AuthenticatedRequest } from './authenticate';
import { authorize, type RequestParts } from './authorize';
import { HTTP_SECURITY_SETTINGS } from './auth.constants';
import { AuthenticationError, TokenVerifier } from './token-verifier';

/**
 * The one global guard of every route: public routes pass; every other request needs a valid
 * bearer token (401 otherwise) whose roles and patterns satisfy the route's `@Requires` (403
 * otherwise). A route that declares no rule is refused to everyone: deny by default.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  private readonly logger = new Logger('AccessGuard');

  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: TokenVerifier,
    @Inject(HTTP_SECURITY_SETTINGS) private readonly settings: HttpSecuritySettings,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_RULE, [context.getHandler(), context.getClass()]);
    if (rule?.kind === 'public') return true;
    const http = context.switchToHttp();
    const request = http.getRequest<AuthenticatedRequest & RequestParts>();
    const response = http.getResponse<{ setHeader(name: string, value: string): unknown }>();
    let caller;
    try {
      caller = await authenticate(request, this.verifier, this.settings.auth);
    } catch (error) {
      if (error instanceof AuthenticationError) throw refusalException(unauthenticated(error), response);
      throw error;
    }
    if (!rule) {
      this.logger.error(`${context.getClass().name}.${context.getHandler().name} declares no access rule; refused`);
      throw refusalException(forbidden('this route declares no access rule and is refused to everyone'), response);
    }
    const decision = authorize(caller, rule, request);
    if (!decision.allowed) throw refusalException(forbidden(decision.message), response);
    return true;
  }
}
