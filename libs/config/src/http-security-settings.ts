import { ConfigError } from './config-error';
import { booleanSetting, integerInRange, optionalString, requiredString, urlWithProtocol, type Env } from './env-readers';

/**
 * JWS algorithms a token may be signed with: asymmetric only. `none` and the HMAC family (HS*) are
 * never accepted: with HS* a verifier handed a public key would accept tokens signed with that
 * public key as the HMAC secret (key confusion).
 */
export const ASYMMETRIC_ALGORITHMS = [
  'EdDSA',
  'Ed25519',
  'ES256',
  'ES384',
  'ES512',
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
] as const;
export type AsymmetricAlgorithm = (typeof ASYMMETRIC_ALGORITHMS)[number];

/** How bearer tokens (OAuth2/OIDC access tokens, JWTs) are verified. */
export interface AuthSettings {
  /** `iss` every token must carry, exactly (AUTH_ISSUER). */
  issuer: string;
  /** Where the issuer's signing keys are published (AUTH_JWKS_URL), fetched over HTTP(S) and cached. */
  jwksUrl: URL;
  /** `aud` every token must contain (AUTH_AUDIENCE). */
  audience: string;
  /** Tolerance on exp and nbf, seconds (AUTH_CLOCK_SKEW_SECONDS, default 30, at most 300). */
  clockSkewSeconds: number;
  /** AUTH_ALGORITHMS, comma separated (default ES256,EdDSA,RS256). */
  algorithms: AsymmetricAlgorithm[];
  /**
   * Claims carrying the registry grants; a dotted name reads a nested claim (Keycloak:
   * `realm_access.roles`). Roles: AUTH_ROLES_CLAIM (default modelreg_roles); model-name patterns of
   * a trainer: AUTH_MODELS_CLAIM (modelreg_models); service/environment patterns of a controller:
   * AUTH_PLACEMENTS_CLAIM (modelreg_placements).
   */
  claims: { roles: string; models: string; placements: string };
}

/** What guards the HTTP surface besides tokens. */
export interface HttpSecuritySettings {
  auth: AuthSettings;
  /** Origins a browser may call the API from (CORS_ORIGINS, comma separated); empty: CORS off. */
  corsOrigins: string[];
  /** Host header values accepted, lower case, without port (HTTP_ALLOWED_HOSTS; default localhost names and HTTP_HOST). */
  allowedHosts: string[];
  /** GET /metrics without a token (METRICS_PUBLIC=true); default false: a token with the `metrics` role. */
  metricsPublic: boolean;
  /** Requests per principal (or per client address before authentication) and window (RATE_LIMIT_REQUESTS, RATE_LIMIT_WINDOW_SECONDS). */
  rateLimit: { requests: number; windowSeconds: number };
}

const CLAIM_NAME = /^[A-Za-z_][\w:/.-]{0,127}$/;
const LOCAL_HOSTS = ['localhost', '127.0.0.1', '[::1]', '::1'];

export function readAuthSettings(env: Env): AuthSettings {
  return {
    issuer: requiredString(env, 'AUTH_ISSUER'),
    jwksUrl: urlWithProtocol(env, 'AUTH_JWKS_URL', ['http:', 'https:']),
    audience: requiredString(env, 'AUTH_AUDIENCE'),
    clockSkewSeconds: integerInRange(env, 'AUTH_CLOCK_SKEW_SECONDS', 30, 0, 300),
    algorithms: readAlgorithms(env),
    claims: {
      roles: claimName(env, 'AUTH_ROLES_CLAIM', 'modelreg_roles'),
      models: claimName(env, 'AUTH_MODELS_CLAIM', 'modelreg_models'),
      placements: claimName(env, 'AUTH_PLACEMENTS_CLAIM', 'modelreg_placements'),
    },
  };
}

export function readHttpSecuritySettings(env: Env, host: string): HttpSecuritySettings {
  return {
    auth: readAuthSettings(env),
    corsOrigins: listSetting(env, 'CORS_ORIGINS').map((origin) => {
      let url: URL;
      try {
        url = new URL(origin);
      } catch {
        throw new ConfigError('CORS_ORIGINS', `entry "${origin}" is not an origin such as https://dashboard.example.com`);
      }
      if (url.origin !== origin)
        throw new ConfigError(
          'CORS_ORIGINS',
          `entry "${origin}" is not an origin (scheme://host[:port], no path), did you mean ${url.origin}?`,
        );
      return origin;
    }),
    allowedHosts: [
      ...new Set(
        [...(listSetting(env, 'HTTP_ALLOWED_HOSTS').length > 0 ? listSetting(env, 'HTTP_ALLOWED_HOSTS') : LOCAL_HOSTS), host].map((name) =>
          name.toLowerCase(),
        ),
      ),
    ],
    metricsPublic: booleanSetting(env, 'METRICS_PUBLIC', false),
    rateLimit: {
      requests: integerInRange(env, 'RATE_LIMIT_REQUESTS', 6000, 1, 100_000_000),
      windowSeconds: integerInRange(env, 'RATE_LIMIT_WINDOW_SECONDS', 60, 1, 86_400),
    },
  };
}

function readAlgorithms(env: Env): AsymmetricAlgorithm[] {
  const listed = listSetting(env, 'AUTH_ALGORITHMS');
  const algorithms = listed.length > 0 ? listed : ['ES256', 'EdDSA', 'RS256'];
  for (const algorithm of algorithms) {
    if (!(ASYMMETRIC_ALGORITHMS as readonly string[]).includes(algorithm))
      throw new ConfigError(
        'AUTH_ALGORITHMS',
        `must list asymmetric JWS algorithms (${ASYMMETRIC_ALGORITHMS.join(', ')}), got "${algorithm}"`,
      );
  }
  return algorithms as AsymmetricAlgorithm[];
}

function claimName(env: Env, name: string, fallback: string): string {
  const value = optionalString(env, name, fallback);
  if (!CLAIM_NAME.test(value)) throw new ConfigError(name, `must be a claim name (letters, digits, _ : / . -), got "${value}"`);
  return value;
}

function listSetting(env: Env, name: string): string[] {
  return optionalString(env, name, '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
}
