import { generateIssuerKey, LOCAL_AUDIENCE, mintToken, ROLES, startIssuerServer, type IssuerServer, type Role, type TokenGrant } from '@modelreg/auth';
import type { JWK } from 'jose';

/**
 * A real issuer for tests: a fresh ES256 key whose JWKS is served over HTTP on a free port, so the
 * services verify tokens exactly as in production (never a stubbed verifier). One per test process.
 */
export interface TestIssuer {
  key: JWK;
  server: IssuerServer;
  /** AUTH_* settings pointing the services at this issuer (and a rate limit tests do not hit). */
  env: Record<string, string>;
  /** A token for one role, granted every model and placement, valid for an hour. */
  tokens: Record<Role | 'operator', string>;
  /** A token of this issuer with any grant and options (expired, not yet valid, another audience...). */
  mint(grant: TokenGrant, options?: { audience?: string; issuer?: string; expiresInSeconds?: number; notBeforeInSeconds?: number; nowMs?: number }): Promise<string>;
}

/** `operator` holds every role: for suites that test registry behaviour, not who may call what. */
const OPERATOR: TokenGrant = { subject: 'test-operator', roles: ROLES, models: ['*'], placements: ['*/*'] };

let started: Promise<TestIssuer> | undefined;
let current: TestIssuer | undefined;

export function testIssuer(): Promise<TestIssuer> {
  started ??= (async () => {
    const key = await generateIssuerKey();
    const server = await startIssuerServer({ keys: [key], port: 0, unref: true });
    const mint: TestIssuer['mint'] = (grant, options = {}) =>
      mintToken(key, grant, { issuer: options.issuer ?? server.issuer, audience: options.audience ?? LOCAL_AUDIENCE, expiresInSeconds: options.expiresInSeconds ?? 3600, notBeforeInSeconds: options.notBeforeInSeconds, nowMs: options.nowMs });
    const tokens = Object.fromEntries(
      await Promise.all([...ROLES.map((role) => [role, { subject: `test-${role}`, roles: [role], models: ['*'], placements: ['*/*'] }] as const), ['operator', OPERATOR] as const].map(async ([name, grant]) => [name, await mint(grant)] as const)),
    ) as TestIssuer['tokens'];
    const env = { AUTH_ISSUER: server.issuer, AUTH_JWKS_URL: server.jwksUrl, AUTH_AUDIENCE: LOCAL_AUDIENCE, RATE_LIMIT_REQUESTS: '100000000' };
    current = { key, server, env, tokens, mint };
    return current;
  })();
  return started;
}

/**
 * `Authorization: Bearer` headers for a role (default: operator, every role) of the test issuer;
 * the issuer is started by createTestEnvironment, so this is synchronous in tests.
 */
export function bearer(role: Role | 'operator' = 'operator'): { authorization: string } {
  if (!current) throw new Error('the test issuer is not started: create a test environment (createTestEnvironment/startRegistry) or await testIssuer() first');
  return { authorization: `Bearer ${current.tokens[role]}` };
}
