import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';

/** The local issuer signs with ES256 (P-256): asymmetric, small, supported by every JOSE library. */
export const LOCAL_ISSUER_ALGORITHM = 'ES256';

/** A new P-256 signing key as a private JWK carrying its kid (the RFC 7638 thumbprint) and alg. */
export async function generateIssuerKey(): Promise<JWK> {
  const { privateKey } = await generateKeyPair(LOCAL_ISSUER_ALGORITHM, { extractable: true });
  const jwk = await exportJWK(privateKey);
  return { ...jwk, kid: await calculateJwkThumbprint(jwk), alg: LOCAL_ISSUER_ALGORITHM, use: 'sig' };
}

/** The key kept in `file` (created once, mode 0600, so tokens survive a restart of the stack's issuer). */
export async function loadOrCreateIssuerKey(file: string): Promise<JWK> {
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as JWK;
  const key = await generateIssuerKey();
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, `${JSON.stringify(key)}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return key;
}

/** What the JWKS publishes: the key without its private part. */
export function publicJwkOf(key: JWK): JWK {
  const { kty, crv, x, y, kid, alg, use } = key;
  return { kty, crv, x, y, kid, alg, use };
}
