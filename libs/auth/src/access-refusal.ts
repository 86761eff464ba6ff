import { HttpException, HttpStatus } from '@nestjs/common';
import { AuthenticationError } from './token-verifier';

/** The realm named in every WWW-Authenticate challenge (RFC 6750). */
const REALM = 'modelreg';

export interface Refusal {
  status: number;
  headers: Record<string, string>;
  body: { error: string; message: string };
}

/** 401 with an RFC 6750 challenge: what is missing or wrong with the credentials, never the token. */
export function unauthenticated(error: AuthenticationError): Refusal {
  const challenge =
    error.code === null
      ? `Bearer realm="${REALM}"`
      : `Bearer realm="${REALM}", error="${error.code}", error_description="${error.message.replace(/["\\]/g, "'")}"`;
  return {
    status: HttpStatus.UNAUTHORIZED,
    headers: { 'WWW-Authenticate': challenge },
    body: { error: 'unauthorized', message: error.message },
  };
}

/** 403: authenticated, but the token does not grant this; the message names the role or pattern needed. */
export function forbidden(message: string): Refusal {
  return {
    status: HttpStatus.FORBIDDEN,
    headers: {
      'WWW-Authenticate': `Bearer realm="${REALM}", error="insufficient_scope", error_description="${message.replace(/["\\]/g, "'")}"`,
    },
    body: { error: 'forbidden', message },
  };
}

/** The refusal as the exception a guard throws; its headers are set on the response first. */
export function refusalException(refusal: Refusal, response: { setHeader(name: string, value: string): unknown }): HttpException {
  for (const [name, value] of Object.entries(refusal.headers)) response.setHeader(name, value);
  return new HttpException(refusal.body, refusal.status);
}
