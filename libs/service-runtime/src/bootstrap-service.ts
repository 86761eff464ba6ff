import 'reflect-metadata';
import type { Server } from 'node:http';
import { Module, type DynamicModule, type INestApplication, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
import { hostAndOriginCheck, HttpSecurityModule, metricsAccess, TokenVerifier } from '@modelreg/auth';
import type { HttpSecuritySettings } from '@modelreg/config';
import type { Logger } from '@modelreg/logging';
import { ProblemDetailsFilter } from './errors/problem-details.filter';
import { serveMetrics } from './metrics/http-metrics';
import type { ServiceMetrics } from './metrics/service-metrics';
import { NestJsonLogger } from './nest-json-logger';
import { openApiDocument } from './openapi-document';
import { DEFAULT_JSON_LIMIT_BYTES, strictJsonBody } from './strict-json-body';
import { startRequestSpans } from './tracing/request-spans';

export interface ServiceBootstrapOptions {
  module: Type<unknown> | DynamicModule;
  name: string;
  description: string;
  host: string;
  port: number;
  logger: Logger;
  /** Largest JSON body accepted, bytes (default 1 MiB); larger requests get 413. */
  jsonLimitBytes?: number;
  /** Prometheus metrics, served at GET /metrics, with every request's latency per route. */
  metrics?: ServiceMetrics;
  /** Bearer tokens, roles, Host and Origin checks, CORS, rate limits (config.http.security). */
  security: HttpSecuritySettings;
}

/** The root of every service: its own module beside the global guards. */
@Module({})
class SecuredServiceModule {}

/**
 * The one shape every service starts with: every route behind the access guard (bearer token,
 * role, patterns; see docs/SECURITY.md), security headers, Host and Origin checks, CORS only when
 * configured, per-caller rate limits, JSON logs, OpenAPI at /docs, a bounded JSON body read
 * strictly (no repeated keys), every error answered as RFC 9457 problem details (413 for a request
 * whose event would exceed MAX_EVENT_BYTES, 503 naming the dependency while one is down), shutdown hooks (finish the batch in hand, commit,
 * disconnect) and a clean exit on fatal errors.
 */
export async function bootstrapService(options: ServiceBootstrapOptions): Promise<INestApplication> {
  const verifier = new TokenVerifier(options.security.auth);
  const root: DynamicModule = {
    module: SecuredServiceModule,
    imports: [options.module, HttpSecurityModule.forRoot(options.security, verifier)],
  };
  const app = await NestFactory.create(root, { logger: new NestJsonLogger(options.logger), bodyParser: false });
  app.use(startRequestSpans());
  app.use(hostAndOriginCheck(options.security));
  app.use(helmet());
  if (options.security.corsOrigins.length > 0) {
    app.enableCors({
      origin: options.security.corsOrigins,
      methods: ['GET', 'HEAD', 'POST', 'PUT'],
      allowedHeaders: ['authorization', 'content-type', 'x-correlation-id', 'x-request-id'],
      maxAge: 600,
    });
  }
  if (options.metrics) {
    app.use('/metrics', metricsAccess(options.security, verifier));
    serveMetrics(app, options.metrics);
  }
  app.use(strictJsonBody(options.jsonLimitBytes ?? DEFAULT_JSON_LIMIT_BYTES));
  app.useGlobalFilters(new ProblemDetailsFilter(options.logger));
  app.enableShutdownHooks();
  const document = openApiDocument(app, `modelreg ${options.name}`, options.description);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });
  await app.listen(options.port, options.host);
  keepIdleConnectionsOpen(app.getHttpServer() as Server);
  options.logger.info('listening', { url: `http://${options.host}:${options.port}`, docs: `http://${options.host}:${options.port}/docs` });
  return app;
}

/**
 * Idle keep-alive connections stay open 65 s (Node closes them after 5 s). Load balancers and
 * clients reuse an idle connection for up to 60 s (AWS ALB, nginx, undici's pools): a server
 * that closes first races with the next request on it, which then fails with "socket hang up" or
 * a 502. The client must be the one to close, so the server waits longer than any of them.
 */
export const KEEP_ALIVE_TIMEOUT_MS = 65_000;

function keepIdleConnectionsOpen(server: Server): void {
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  // Must exceed keepAliveTimeout, or a request arriving just before the idle timeout can be cut off.
  server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1_000;
}

/** Ends the process after a bounded attempt to close cleanly, so a supervisor restarts it. */
export function exitOnFatal(logger: Logger, close: () => Promise<void>): (error: Error) => void {
  let exiting = false;
  return (error) => {
    if (exiting) return;
    exiting = true;
    logger.error('fatal error, exiting so the supervisor restarts the service', { error });
    const timer = setTimeout(() => process.exit(1), 10_000);
    timer.unref();
    close().finally(() => process.exit(1));
  };
}
