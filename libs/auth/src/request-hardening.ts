import type { HttpSecuritySettings } from '@modelreg/config';
import type { NextFunction, Request, RequestHandler, Response } from 'express';

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The Host header's name without its port, lower case (`[::1]:8080` is `[::1]`). */
export function hostName(host: string): string {
  const name = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.split(':')[0];
  return (name ?? '').toLowerCase();
}

/**
 * Whether a request's Host and Origin are acceptable: the Host must be one the service answers to
 * (DNS rebinding: a hostile page whose name now points at 127.0.0.1 sends its own Host), and a
 * state-changing request that carries an Origin must come from this service itself or an origin
 * CORS_ORIGINS allows. Non-browser clients send no Origin and pass. Null when acceptable.
 */
export function refuseHostOrOrigin(
  settings: Pick<HttpSecuritySettings, 'allowedHosts' | 'corsOrigins'>,
  request: { method: string; host: string | undefined; origin: string | undefined },
): { status: number; field: string; message: string } | null {
  const host = request.host ?? '';
  if (!settings.allowedHosts.includes(hostName(host)))
    return {
      status: 421,
      field: 'host',
      message: `Host "${hostName(host).slice(0, 100)}" is not one this service answers to (HTTP_ALLOWED_HOSTS)`,
    };
  if (!STATE_CHANGING.has(request.method) || request.origin === undefined) return null;
  if (settings.corsOrigins.includes(request.origin)) return null;
  let originHost: string | null = null;
  try {
    originHost = new URL(request.origin).host.toLowerCase();
  } catch {
    originHost = null;
  }
  if (originHost !== null && originHost === host.toLowerCase()) return null;
  return {
    status: 403,
    field: 'origin',
    message: `a state-changing request from origin "${request.origin.slice(0, 100)}" is refused (CORS_ORIGINS)`,
  };
}

/**
 * Express middleware applying refuseHostOrOrigin. Health probes and /metrics are exempt: orchestrators
 * and scrapers address pods by IP, and neither carries registry data.
 */
export function hostAndOriginCheck(settings: HttpSecuritySettings): RequestHandler {
  return (request: Request, response: Response, next: NextFunction) => {
    if (request.path.startsWith('/health/') || request.path === '/metrics') return next();
    const origin = request.headers['origin'];
    const refusal = refuseHostOrOrigin(settings, {
      method: request.method,
      host: request.headers['host'],
      origin: typeof origin === 'string' ? origin : undefined,
    });
    if (!refusal) return next();
    response
      .status(refusal.status)
      .json({ error: refusal.status === 403 ? 'forbidden' : 'misdirected_request', field: refusal.field, message: refusal.message });
  };
}
