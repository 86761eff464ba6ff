import { STATUS_CODES } from 'node:http';
import type { Response } from 'express';

/** The media type of every error answer (RFC 9457). */
export const PROBLEM_MEDIA_TYPE = 'application/problem+json';

/** Where each `type` URI of ours points: one page per error code in the API reference. */
const PROBLEM_TYPE_BASE = 'https://modelreg.dev/problems/';

/**
 * What a service says about a failed request: a stable machine-readable `error` code, a message for
 * people, and where it applies the field (a JSON path or header name) or, for several, `errors`.
 * Any other member (limits, rule names, the dependency) travels as an extension member.
 */
export interface ProblemFields {
  error: string;
  message?: string;
  field?: string;
  errors?: ReadonlyArray<{ field: string; message: string }>;
  [extension: string]: unknown;
}

/**
 * RFC 9457 problem details: `type`, `title`, `status`, `detail` and `instance`, plus our `error`,
 * `field`/`errors` and `message` as extension members, so clients written against the earlier
 * `{error, field, message}` bodies keep working.
 */
export function problemDocument(status: number, fields: ProblemFields, instance?: string): Record<string, unknown> {
  const detail =
    fields.message ?? fields.errors?.map((error) => `${error.field}: ${error.message}`).join('; ') ?? STATUS_CODES[status] ?? 'error';
  return {
    type: `${PROBLEM_TYPE_BASE}${encodeURIComponent(fields.error)}`,
    title: STATUS_CODES[status] ?? 'Error',
    status,
    detail,
    ...(instance ? { instance } : {}),
    ...fields,
    message: detail,
  };
}

/** Answers with a problem document; the request's path is its `instance`. */
export function sendProblem(response: Response, status: number, fields: ProblemFields): void {
  const instance = (response.req as { originalUrl?: string } | undefined)?.originalUrl?.split('?')[0];
  response
    .status(status)
    .type(PROBLEM_MEDIA_TYPE)
    .send(JSON.stringify(problemDocument(status, fields, instance)));
}

/** The error code for a status when a thrown exception names none (Nest's own 404 for an unknown route). */
export function errorCodeForStatus(status: number): string {
  const text = STATUS_CODES[status] ?? 'error';
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '');
}
