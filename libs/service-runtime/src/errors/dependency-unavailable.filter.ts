import { Catch, HttpStatus, type ArgumentsHost, type HttpServer } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import type { Response } from 'express';
import type { Logger } from '@modelreg/logging';
import { dependencyFailure } from './dependency-failure';

/** Seconds a client is asked to wait before retrying a request that met a dependency outage. */
export const RETRY_AFTER_SECONDS = 5;

/**
 * One global filter: a request that failed because a dependency is down (Postgres, Kafka, S3)
 * answers 503 with `Retry-After` and a problem body naming the dependency,
 * `{error: 'dependency unavailable', dependency, retriable: true, message}`, instead of a 500.
 * Every other error goes to Nest's default handling.
 */
@Catch()
export class DependencyUnavailableFilter extends BaseExceptionFilter {
  constructor(
    httpAdapter: HttpServer,
    private readonly logger: Logger,
  ) {
    super(httpAdapter);
  }

  override catch(exception: unknown, host: ArgumentsHost): void {
    const failure = host.getType() === 'http' ? dependencyFailure(exception) : null;
    if (!failure) return super.catch(exception, host);
    const http = host.switchToHttp();
    const response = http.getResponse<Response>();
    const request = http.getRequest<{ method: string; url: string }>();
    this.logger.warn('dependency unavailable', { dependency: failure.dependency, method: request.method, path: request.url, error: failure.message });
    if (response.headersSent) {
      response.destroy();
      return;
    }
    response
      .status(HttpStatus.SERVICE_UNAVAILABLE)
      .setHeader('Retry-After', String(RETRY_AFTER_SECONDS))
      .json({ error: 'dependency unavailable', dependency: failure.dependency, retriable: true, message: failure.message });
  }
}
