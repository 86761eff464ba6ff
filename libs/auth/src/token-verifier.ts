import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from 'jose';
import type { AuthSettings } from '@modelreg/config';

/** Why a request is not authenticated, in words a client can act on; never the token itself. */
export class AuthenticationError extends Error {
  readonly retriable = false;
  constructor(
    message: string,
    /** RFC 6750 error code: none when no credentials were sent, else invalid_request or invalid_token. */
    readonly code: 'invalid_request' | 'invalid_token' | null,
  ) {
    super(message);
    this.name = 'AuthenticationError';
  }
}

/** The issuer's key set could not be fetched: the request may succeed later (503, Retry-After). */
export class IdentityProviderUnavailableError extends Error {
  readonly retriable = true;
  readonly dependency = 'identity-provider';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'IdentityProviderUnavailableError';
  }
}

/**
 * Verifies bearer JWTs against the issuer's JWKS, fetched over HTTP and cached (a token signed with
 * an unknown key id refetches it, at most every 30 s, so rotated keys are picked up). Checked:
 * signature with an allowed asymmetric algorithm only (`none`, HS* and an algorithm of another key
 * type are refused), `iss`, `aud`, `exp` and `nbf` within the configured skew; `sub` and `exp` are
 * required.
 */
export class TokenVerifier {
  private readonly keys: ReturnType<typeof createRemoteJWKSet>;

  constructor(private readonly settings: AuthSettings) {
    this.keys = createRemoteJWKSet(settings.jwksUrl, { timeoutDuration: 5000, cooldownDuration: 30_000, cacheMaxAge: 10 * 60_000 });
  }

  /** The verified claims of the `Authorization: Bearer` header's token. */
  async verify(authorization: string | undefined): Promise<JWTPayload> {
    if (authorization === undefined || authorization.trim() === '')
      throw new AuthenticationError('no bearer token: send Authorization: Bearer <token>', null);
    const match = /^Bearer +([A-Za-z0-9\-_.~+/]+=*) *$/i.exec(authorization);
    if (!match) throw new AuthenticationError('the Authorization header must be "Bearer <token>"', 'invalid_request');
    try {
      const { payload } = await jwtVerify(match[1] as string, this.keys, {
        issuer: this.settings.issuer,
        audience: this.settings.audience,
        algorithms: this.settings.algorithms,
        clockTolerance: this.settings.clockSkewSeconds,
        requiredClaims: ['sub', 'exp'],
      });
      return payload;
    } catch (error) {
      throw this.explain(error);
    }
  }

  private explain(error: unknown): Error {
    const invalid = (message: string) => new AuthenticationError(message, 'invalid_token');
    if (error instanceof errors.JWTExpired) return invalid('token expired');
    if (error instanceof errors.JWTClaimValidationFailed) {
      if (error.reason === 'missing') return invalid(`token lacks the ${error.claim} claim`);
      if (error.claim === 'nbf') return invalid('token not yet valid (nbf)');
      if (error.claim === 'iss') return invalid(`token issued by another issuer (expected ${this.settings.issuer})`);
      if (error.claim === 'aud') return invalid(`token for another audience (expected ${this.settings.audience})`);
      return invalid(`token claim ${error.claim} is invalid`);
    }
    if (error instanceof errors.JOSEAlgNotAllowed)
      return invalid(`token signing algorithm not allowed (allowed: ${this.settings.algorithms.join(', ')})`);
    if (error instanceof errors.JWKSNoMatchingKey) return invalid("no key of the issuer matches the token's key id (kid)");
    if (error instanceof errors.JWSSignatureVerificationFailed) return invalid('token signature is invalid');
    if (error instanceof errors.JWKSTimeout)
      return new IdentityProviderUnavailableError(`the issuer's key set did not answer within 5 s (${this.settings.jwksUrl.href})`, {
        cause: error,
      });
    if (error instanceof errors.JWKSInvalid || !(error instanceof errors.JOSEError) || error.constructor === errors.JOSEError) {
      // The key set could not be fetched or read (jose's plain JOSEError is only thrown for that):
      // no fault of the token, so the client may retry.
      return new IdentityProviderUnavailableError(
        `the issuer's key set at ${this.settings.jwksUrl.href} could not be fetched: ${(error as Error).message}`,
        { cause: error },
      );
    }
    if (error instanceof errors.JOSENotSupported) return invalid('token uses an unsupported algorithm or key type');
    return invalid('token is malformed');
  }
}
