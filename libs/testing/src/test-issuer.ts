import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Socket } from 'node:net';
import { createInterface } from 'node:readline';
import { LOCAL_AUDIENCE, loadOrCreateIssuerKey, mintToken, ROLES, type Role, type TokenGrant } from '@modelreg/auth';
import type { JWK } from 'jose';
import { REPO_ROOT } from './stack-connection';

/**
 * A real issuer for tests: a fresh ES256 key whose JWKS is served over HTTP on a free port, so the
 * services verify tokens exactly as in production (never a stubbed verifier). One per test process;
 * it runs as a child process, so a test blocking its own event loop (spawnSync of the CLI) cannot
 * keep the services from fetching the keys, and it ends with the test process.
 */
export interface TestIssuer {
  key: JWK;
  server: { issuer: string; jwksUrl: string };
  /** AUTH_* settings pointing the services at this issuer (and a rate limit tests do not hit). */
  env: Record<string, string>;
  /** A token for one role, granted every model and placement, valid for an hour. */
  tokens: Record<Role | 'operator', string>;
  /** A token of this issuer with any grant and options (expired, not yet valid, another audience...). */
  mint(
    grant: TokenGrant,
    options?: { audience?: string; issuer?: string; expiresInSeconds?: number; notBeforeInSeconds?: number; nowMs?: number },
  ): Promise<string>;
}

/** `operator` holds every role: for suites that test registry behaviour, not who may call what. */
const OPERATOR: TokenGrant = { subject: 'test-operator', roles: ROLES, models: ['*'], placements: ['*/*'] };

let started: Promise<TestIssuer> | undefined;
let current: TestIssuer | undefined;

export function testIssuer(): Promise<TestIssuer> {
  started ??= (async () => {
    const keyFile = join(mkdtempSync(join(tmpdir(), 'modelreg-issuer-')), 'signing-key.json');
    const key = await loadOrCreateIssuerKey(keyFile);
    const server = await startIssuerProcess(keyFile);
    const mint: TestIssuer['mint'] = (grant, options = {}) =>
      mintToken(key, grant, {
        issuer: options.issuer ?? server.issuer,
        audience: options.audience ?? LOCAL_AUDIENCE,
        expiresInSeconds: options.expiresInSeconds ?? 3600,
        notBeforeInSeconds: options.notBeforeInSeconds,
        nowMs: options.nowMs,
      });
    const tokens = Object.fromEntries(
      await Promise.all(
        [
          ...ROLES.map((role) => [role, { subject: `test-${role}`, roles: [role], models: ['*'], placements: ['*/*'] }] as const),
          ['operator', OPERATOR] as const,
        ].map(async ([name, grant]) => [name, await mint(grant)] as const),
      ),
    ) as TestIssuer['tokens'];
    const env = {
      AUTH_ISSUER: server.issuer,
      AUTH_JWKS_URL: server.jwksUrl,
      AUTH_AUDIENCE: LOCAL_AUDIENCE,
      RATE_LIMIT_REQUESTS: '100000000',
    };
    current = { key, server, env, tokens, mint };
    return current;
  })();
  return started;
}

/** Starts issuer-server.main.ts on a free port; answers its issuer URL once it listens. */
async function startIssuerProcess(keyFile: string): Promise<TestIssuer['server']> {
  const child = spawn(
    process.execPath,
    [
      resolve(REPO_ROOT, 'tools/run.js'),
      resolve(REPO_ROOT, 'libs/auth/src/local-issuer/issuer-server.main.ts'),
      '0',
      keyFile,
      '--exit-with-parent',
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  process.once('exit', () => child.kill());
  const lines = createInterface({ input: child.stdout });
  const issuer = await new Promise<string>((resolveIssuer, reject) => {
    child.once('exit', (code) => reject(new Error(`the test issuer exited with ${code} before listening`)));
    lines.on('line', (line) => {
      const match = /^issuer (\S+)$/.exec(line);
      if (match) resolveIssuer(match[1] as string);
    });
  });
  lines.close();
  // Neither the process nor its pipes keep the test process alive; the closed pipe ends the issuer.
  child.unref();
  child.stdout.destroy();
  (child.stdin as Socket).unref();
  return { issuer, jwksUrl: `${issuer}/jwks.json` };
}

/**
 * `Authorization: Bearer` headers for a role (default: operator, every role) of the test issuer;
 * the issuer is started by createTestEnvironment, so this is synchronous in tests.
 */
export function bearer(role: Role | 'operator' = 'operator'): { authorization: string } {
  if (!current)
    throw new Error(
      'the test issuer is not started: create a test environment (createTestEnvironment/startRegistry) or await testIssuer() first',
    );
  return { authorization: `Bearer ${current.tokens[role]}` };
}
