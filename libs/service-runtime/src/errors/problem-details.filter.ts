import { Catch, HttpException, HttpStatus, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { EventTooLargeError } from '@modelreg/kafka';
import type { Logger } from '@modelreg/logging';
import { dependencyFailure } from './dependency-failure';
import { errorCodeForStatus, sendProblem, type ProblemFields } from './problem-details';

/** Seconds a client is asked to wait before retrying a request that met a dependency outage. */
export const RETRY_AFTER_SECONDS = 5;

/**
 * The one exception filter of every service: whatever a request fails with is answered as RFC 9457
 * problem details. An event over MAX_EVENT_BYTES is a 413 naming the limit (its transaction rolled
 * back); a dependency that is down (Postgres, Kafka, S3) a 503 with `Retry-After` naming it; an
 * HttpException keeps its status and fields; anything else is a 500 that leaks nothing and is logged.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  constructor(private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const http = host.switchToHttp();
    const response = http.getResponse<Response>();
    const request = http.getRequest<Request>();
    if (response.headersSent) {
      this.logger.warn('request failed after its answer began', { method: request.method, path: request.path, error: exception });
      response.destroy();
      return;
    }
    const { status, fields } = this.describe(exception, request);
    sendProblem(response, status, fields);
  }

  private describe(exception: unknown, request: Request): { status: number; fields: ProblemFields } {
    if (exception instanceof EventTooLargeError) {
      return {
        status: HttpStatus.PAYLOAD_TOO_LARGE,
        fields: {
          error: 'event_too_large',
          field: 'body',
          message: exception.message,
          eventBytes: exception.bytes,
          limitBytes: exception.limit,
        },
      };
    }
    const failure = dependencyFailure(exception);
    if (failure) {
      this.logger.warn('dependency unavailable', {
        dependency: failure.dependency,
        method: request.method,
        path: request.path,
        error: failure.message,
      });
      request.res?.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
      return {
        status: HttpStatus.SERVICE_UNAVAILABLE,
        fields: { error: 'dependency_unavailable', dependency: failure.dependency, retriable: true, message: failure.message },
      };
    }
    if (exception instanceof HttpException) return { status: exception.getStatus(), fields: fieldsOf(exception) };
    this.logger.error('request failed', { method: request.method, path: request.path, error: exception });
    return {
      status: HttpStatus.INTERNAL_SERVER_ERROR,
      fields: { error: 'internal_error', message: 'the request failed inside the service; its log has the details' },
    };
  }
}

/** Our exceptions carry `{error, field, message}`; Nest's own (unknown route, bad method) carry `{statusCode, message, error}`. */
function fieldsOf(exception: HttpException): ProblemFields {
  const body = exception.getResponse();
  const status = exception.getStatus();
  if (typeof body === 'object' && body !== null && typeof (body as { error?: unknown }).error === 'string' && !('statusCode' in body))
    return body as ProblemFields;
  const message = typeof body === 'string' ? body : (body as { message?: unknown }).message;
  return { error: errorCodeForStatus(status), message: Array.isArray(message) ? message.join('; ') : String(message ?? exception.message) };
}
