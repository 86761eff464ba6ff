import { text, type RequestHandler, type Response } from 'express';
import { parseStrictJson } from '@modelreg/validation';
import { sendProblem } from './errors/problem-details';

/** 1 MiB: the largest JSON request body when a service sets no other limit. */
export const DEFAULT_JSON_LIMIT_BYTES = 1024 * 1024;

/**
 * The JSON body parser of every service: a body over `limitBytes` is a 413 naming the limit,
 * malformed JSON a 400 naming the position, and a key repeated within one object a 400 naming the
 * key and its path (JSON.parse would silently keep the last value). An empty body reads as {}.
 */
export function strictJsonBody(limitBytes: number): RequestHandler {
  const readText = text({ type: ['application/json', 'application/*+json'], limit: limitBytes });
  return (request, response, next) => {
    readText(request, response, (error?: unknown) => {
      if (error) {
        refuseUnreadable(error, limitBytes, response, () => next(error));
        return;
      }
      if (typeof request.body !== 'string') return next();
      if (request.body.trim() === '') {
        request.body = {};
        return next();
      }
      const parsed = parseStrictJson(request.body);
      if (!parsed.ok) {
        const { problem } = parsed;
        sendProblem(response, 400, {
          error: 'bad_request',
          field: problem.duplicateKey?.path ?? 'body',
          message: problem.duplicateKey ? problem.message : `is not valid JSON: ${problem.message}`,
        });
        return;
      }
      request.body = parsed.value;
      next();
    });
  };
}

/** Body-reading failures (too large, aborted, bad charset) answered in the shape of every other error. */
function refuseUnreadable(error: unknown, limitBytes: number, response: Response, otherwise: () => void): void {
  const { status, type, message } = error as { status?: number; type?: string; message?: string };
  if (type === 'entity.too.large') {
    sendProblem(response, 413, { error: 'payload_too_large', field: 'body', message: `must be at most ${limitBytes} bytes`, limitBytes });
  } else if (typeof status === 'number' && status >= 400 && status < 500) {
    sendProblem(response, status, { error: 'bad_request', field: 'body', message: message ?? 'could not be read' });
  } else otherwise();
}
