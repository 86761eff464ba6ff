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

/** How long a verified token is believed without checking its signature again (never past its `exp`). */
export const VERIFIED_TOKEN_TTL_MS = 60_000;

/** Verified tokens remembered at most (oldest forgotten first): a few MiB of token text. */
export const VERIFIED_TOKEN_ENTRIES = 4096;

export interface TokenVerifierOptions {
  /** The clock, ms since the epoch: tests move it. */
  now?: () => number;
  ttlMs?: number;
  maxEntries?: number;
}

/** Verifications done and answered from memory since the start. */
export interface TokenVerifierCounters {
  signatureChecks: number;
  remembered: number;
}

/**
 * Verifies bearer JWTs against the issuer's JWKS, fetched over HTTP and cached (a token signed with
 * an unknown key id refetches it, at most every 30 s, so rotated keys are picked up). Checked:
 * signature with an allowed asymmetric algorithm only (`none`, HS* and an algorithm of another key
 * type are refused), `iss`, `aud`, `exp` and `nbf` within the configured skew; `sub` and `exp` are
 * required.
 *
 * A client sends the same token with every request, so a token that verified is remembered, by its
 * exact text, for `VERIFIED_TOKEN_TTL_MS` and never past its `exp` (plus the skew): within that time
 * the same text is answered with the same claims without a signature check (the check was a fifth
 * of a lookup's CPU). Only successes are remembered. A key the issuer withdraws stops being accepted
 * once the key set is refetched (up to 10 min, jose's cache) and, for tokens already remembered,
 * at most a minute after that.
 */
export class TokenVerifier {
  private readonly keys: ReturnType<typeof createRemoteJWKSet>;
  private readonly verified = new Map<string, { payload: JWTPayload; untilMs: number }>();
  private readonly now: () => number;
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly counts: TokenVerifierCounters = { signatureChecks: 0, remembered: 0 };

  constructor(
    private readonly settings: AuthSettings,
    options: TokenVerifierOptions = {},
  ) {
    this.keys = createRemoteJWKSet(settings.jwksUrl, { timeoutDuration: 5000, cooldownDuration: 30_000, cacheMaxAge: 10 * 60_000 });
    this.now = options.now ?? Date.now;
    this.ttlMs = options.ttlMs ?? VERIFIED_TOKEN_TTL_MS;
    this.maxEntries = options.maxEntries ?? VERIFIED_TOKEN_ENTRIES;
  }

  counters(): TokenVerifierCounters {
    return { ...this.counts };
  }

  /** The verified claims of the `Authorization: Bearer` header's token. */
  async verify(authorization: string | undefined): Promise<JWTPayload> {
    if (authorization === undefined || authorization.trim() === '')
      throw new AuthenticationError('no bearer token: send Authorization: Bearer <token>', null);
    const match = /^Bearer +([A-Za-z0-9\-_.~+/]+=*) *$/i.exec(authorization);
    if (!match) throw new AuthenticationError('the Authorization header must be "Bearer <token>"', 'invalid_request');
    const token = match[1] as string;
    const nowMs = this.now();
    const known = this.verified.get(token);
    if (known && nowMs < known.untilMs) {
      this.counts.remembered += 1;
      return known.payload;
    }
    if (known) this.verified.delete(token);
    this.counts.signatureChecks += 1;
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.keys, {
        issuer: this.settings.issuer,
        audience: this.settings.audience,
        algorithms: this.settings.algorithms,
        clockTolerance: this.settings.clockSkewSeconds,
        requiredClaims: ['sub', 'exp'],
        currentDate: new Date(nowMs),
      }));
    } catch (error) {
      throw this.explain(error);
    }
    this.remember(token, Object.freeze(payload), nowMs);
    return payload;
  }

  /** jose accepts a token while now < exp + skew; the memory of it ends there too. */
  private remember(token: string, payload: JWTPayload, nowMs: number): void {
    const untilMs = Math.min(nowMs + this.ttlMs, ((payload.exp as number) + this.settings.clockSkewSeconds) * 1000);
    if (untilMs <= nowMs) return;
    if (this.verified.size >= this.maxEntries) this.verified.delete(this.verified.keys().next().value as string);
    this.verified.set(token, { payload, untilMs });
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
