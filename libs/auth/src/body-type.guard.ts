import { HttpException, HttpStatus, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { BODY_TYPE } from './access-rule';

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * State-changing requests must say they carry JSON (or the route's declared body type), body-less
 * ones included: a browser sends a cross-site form or text/plain POST without a preflight, never
 * an application/json one, so this refuses (415) what CSRF could forge.
 */
@Injectable()
export class BodyTypeGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<{ method: string; headers: Record<string, string | string[] | undefined> }>();
    if (!STATE_CHANGING.has(request.method)) return true;
    const expected =
      this.reflector.getAllAndOverride<string | undefined>(BODY_TYPE, [context.getHandler(), context.getClass()]) ?? 'application/json';
    const header = request.headers['content-type'];
    const mediaType = (typeof header === 'string' ? header : '').split(';')[0]?.trim().toLowerCase();
    if (mediaType !== expected) {
      throw new HttpException(
        {
          error: 'unsupported_media_type',
          field: 'content-type',
          message: `must be ${expected}${mediaType ? `, got ${mediaType}` : ' (even without a body)'}`,
        },
        HttpStatus.UNSUPPORTED_MEDIA_TYPE,
      );
    }
    return true;
  }
}
