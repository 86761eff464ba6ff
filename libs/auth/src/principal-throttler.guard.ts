import { createHash } from 'node:crypto';
import { HttpException, HttpStatus, Injectable, type ExecutionContext } from '@nestjs/common';
import { ThrottlerGuard, type ThrottlerLimitDetail } from '@nestjs/throttler';
import { ACCESS_RULE, type AccessRule } from './access-rule';
import type { AuthenticatedRequest } from './authenticate';

/**
 * Rate limit per principal (issuer and subject) over all routes of a service, so one caller cannot
 * starve the others; runs after the access guard, which has identified the caller. Public routes
 * (probes, static assets) are not counted. Over the limit: 429 with Retry-After.
 */
@Injectable()
export class PrincipalThrottlerGuard extends ThrottlerGuard {
  protected override async shouldSkip(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_RULE, [context.getHandler(), context.getClass()]);
    return rule?.kind === 'public';
  }

  protected override async getTracker(request: AuthenticatedRequest & { ip?: string }): Promise<string> {
    const principal = request.principal;
    return principal ? `${principal.issuer} ${principal.subject}` : `address ${request.ip ?? 'unknown'}`;
  }

  protected override generateKey(_context: ExecutionContext, tracker: string, name: string): string {
    return createHash('sha256').update(`${name} ${tracker}`).digest('hex');
  }

  protected override async throwThrottlingException(_context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    throw new HttpException(
      {
        error: 'too_many_requests',
        message:
          `more than ${detail.limit} requests in ${Math.round(detail.ttl / 1000)} s from this caller; ` +
          `retry after ${detail.timeToBlockExpire} s`,
      },
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}
