import { spawn } from 'node:child_process';
import { mkdirSync, openSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { LOCAL_AUDIENCE, loadOrCreateIssuerKey, mintDevTokens, type DevTokenName } from '@modelreg/auth';
import { isPortOpen, waitUntil } from './processes';
import { LOCAL_DIR, REPO_ROOT } from './stack-layout';

const ISSUER_DIR = resolve(LOCAL_DIR, 'issuer');
/** The local issuer's ES256 private key: created once (mode 0600), so the JWKS stays stable across restarts. */
export const ISSUER_KEY_FILE = join(ISSUER_DIR, 'signing-key.json');

/** The local issuer's `iss` (also where it serves its discovery document and JWKS). */
export const localIssuerUrl = (port: number) => `http://127.0.0.1:${port}`;

/** Starts the local issuer as a detached process, like the other servers of the stack. */
export async function startIssuer(port: number, log: (line: string) => void): Promise<number> {
  mkdirSync(ISSUER_DIR, { recursive: true, mode: 0o700 });
  await loadOrCreateIssuerKey(ISSUER_KEY_FILE);
  const out = openSync(join(ISSUER_DIR, 'issuer.log'), 'a');
  const child = spawn(
    process.execPath,
    [
      resolve(REPO_ROOT, 'tools/run.js'),
      resolve(REPO_ROOT, 'libs/auth/src/local-issuer/issuer-server.main.ts'),
      String(port),
      ISSUER_KEY_FILE,
    ],
    { detached: true, stdio: ['ignore', out, out], cwd: REPO_ROOT },
  );
  child.unref();
  await waitUntil(`issuer on 127.0.0.1:${port}`, () => isPortOpen(port), 30_000);
  log(`issuer started (pid ${child.pid}), JWKS at ${localIssuerUrl(port)}/jwks.json`);
  return child.pid as number;
}

/**
 * The services' AUTH_* settings for the local issuer and one development token per role, minted
 * anew at each stack start (valid 30 days).
 */
export async function localIssuerEnv(port: number): Promise<Record<string, string> & Record<DevTokenName, string>> {
  const issuer = localIssuerUrl(port);
  const tokens = await mintDevTokens(await loadOrCreateIssuerKey(ISSUER_KEY_FILE), issuer);
  return { AUTH_ISSUER: issuer, AUTH_JWKS_URL: `${issuer}/jwks.json`, AUTH_AUDIENCE: LOCAL_AUDIENCE, ...tokens };
}
