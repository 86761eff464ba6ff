import type { AuthSettings } from '@modelreg/config';
import { callerFromClaims, type Caller } from './caller';
import type { TokenVerifier } from './token-verifier';

/** The request fields authentication reads and writes: the principal is what `@Origin()` returns. */
export interface AuthenticatedRequest {
  headers: Record<string, string | string[] | undefined>;
  principal?: Caller['principal'];
  caller?: Caller;
}

/**
 * Verifies the request's bearer token and records the caller on the request (once per request).
 * Throws AuthenticationError (401) or IdentityProviderUnavailableError (503).
 */
export async function authenticate(request: AuthenticatedRequest, verifier: TokenVerifier, settings: AuthSettings): Promise<Caller> {
  if (request.caller) return request.caller;
  const header = request.headers['authorization'];
  const claims = await verifier.verify(Array.isArray(header) ? header.join(',') : header);
  const caller = callerFromClaims(claims, settings.claims);
  request.caller = caller;
  request.principal = caller.principal;
  return caller;
}
