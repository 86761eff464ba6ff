import type { INestApplication } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import type { ServiceMetrics } from './service-metrics';

/** GET /metrics in the Prometheus text format, and each request's latency by method, route template and status. */
export function serveMetrics(app: INestApplication, metrics: ServiceMetrics): void {
  app.use((request: Request, response: Response, next: NextFunction) => {
    const stop = metrics.httpDuration.startTimer();
    response.once('finish', () => stop({ method: request.method, route: routeTemplate(request), status: String(response.statusCode) }));
    next();
  });
  app.getHttpAdapter().get('/metrics', async (_request: Request, response: Response) => {
    response.setHeader('content-type', metrics.registry.contentType);
    response.end(await metrics.registry.metrics());
  });
}

/** `/v1/models/:modelName/versions/:version`, never the concrete path; requests no route matched share one series. */
export function routeTemplate(request: Request): string {
  const route = (request as Request & { route?: { path?: unknown } }).route;
  return typeof route?.path === 'string' ? `${request.baseUrl}${route.path}` : 'unmatched';
}
