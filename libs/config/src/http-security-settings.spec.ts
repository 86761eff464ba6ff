import { ConfigError } from './config-error';
import { readAuthSettings, readHttpSecuritySettings } from './http-security-settings';

const AUTH = { AUTH_ISSUER: 'https://id.example.com/', AUTH_JWKS_URL: 'https://id.example.com/jwks.json', AUTH_AUDIENCE: 'modelreg' };

describe('HTTP security settings', () => {
  it('reads the issuer, its keys and the audience, with explicit asymmetric algorithms and a bounded skew', () => {
    expect(readAuthSettings(AUTH)).toEqual({
      issuer: 'https://id.example.com/',
      jwksUrl: new URL('https://id.example.com/jwks.json'),
      audience: 'modelreg',
      clockSkewSeconds: 30,
      algorithms: ['ES256', 'EdDSA', 'RS256'],
      claims: { roles: 'modelreg_roles', models: 'modelreg_models', placements: 'modelreg_placements' },
    });
    expect(readAuthSettings({ ...AUTH, AUTH_ROLES_CLAIM: 'realm_access.roles', AUTH_ALGORITHMS: 'PS256, ES384' })).toMatchObject({
      algorithms: ['PS256', 'ES384'],
      claims: { roles: 'realm_access.roles' },
    });
  });

  it('defaults CORS off, metrics protected and the Host allow list to local names plus the bind host', () => {
    const settings = readHttpSecuritySettings(AUTH, '10.0.0.7');
    expect(settings.corsOrigins).toEqual([]);
    expect(settings.metricsPublic).toBe(false);
    expect(settings.allowedHosts).toEqual(['localhost', '127.0.0.1', '[::1]', '::1', '10.0.0.7']);
    expect(readHttpSecuritySettings({ ...AUTH, HTTP_ALLOWED_HOSTS: 'Registry.Example.com' }, '0.0.0.0').allowedHosts).toEqual([
      'registry.example.com',
      '0.0.0.0',
    ]);
    expect(readHttpSecuritySettings({ ...AUTH, CORS_ORIGINS: 'https://dash.example.com' }, 'h').corsOrigins).toEqual([
      'https://dash.example.com',
    ]);
  });

  it.each([
    ['no issuer', { ...AUTH, AUTH_ISSUER: '' }, 'AUTH_ISSUER environment variable is not defined'],
    ['a JWKS URL of another scheme', { ...AUTH, AUTH_JWKS_URL: 'file:///etc/keys' }, 'AUTH_JWKS_URL must use http: or https:, got file:'],
    ['no audience', { ...AUTH, AUTH_AUDIENCE: undefined }, 'AUTH_AUDIENCE environment variable is not defined'],
    ['HMAC', { ...AUTH, AUTH_ALGORITHMS: 'RS256,HS256' }, 'AUTH_ALGORITHMS must list asymmetric JWS algorithms'],
    ['alg none', { ...AUTH, AUTH_ALGORITHMS: 'none' }, 'got "none"'],
    [
      'a skew over five minutes',
      { ...AUTH, AUTH_CLOCK_SKEW_SECONDS: '3600' },
      'AUTH_CLOCK_SKEW_SECONDS must be between 0 and 300, got 3600',
    ],
    ['a claim name with spaces', { ...AUTH, AUTH_ROLES_CLAIM: 'my roles' }, 'AUTH_ROLES_CLAIM must be a claim name'],
  ])('refuses %s, naming the setting', (_case, env, message) => {
    expect(() => readAuthSettings(env)).toThrow(ConfigError);
    expect(() => readAuthSettings(env)).toThrow(message);
  });

  it.each([
    [
      'an origin with a path',
      { ...AUTH, CORS_ORIGINS: 'https://dash.example.com/app' },
      'CORS_ORIGINS entry "https://dash.example.com/app" is not an origin',
    ],
    ['metrics neither true nor false', { ...AUTH, METRICS_PUBLIC: 'yes' }, 'METRICS_PUBLIC must be true or false'],
    ['a rate limit of 0', { ...AUTH, RATE_LIMIT_REQUESTS: '0' }, 'RATE_LIMIT_REQUESTS must be between 1 and 100000000, got 0'],
  ])('refuses %s', (_case, env, message) => {
    expect(() => readHttpSecuritySettings(env, 'h')).toThrow(message);
  });
});
