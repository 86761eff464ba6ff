import { importJWK, SignJWT, type JWK } from 'jose';
import type { Role } from '../roles';
import { LOCAL_ISSUER_ALGORITHM } from './issuer-key';

/** What a minted token grants, in the default claim names (AUTH_*_CLAIM unset). */
export interface TokenGrant {
  subject: string;
  roles: readonly Role[];
  /** modelreg_models: model-name patterns of a trainer. */
  models?: readonly string[];
  /** modelreg_placements: `service/environment` patterns of a controller. */
  placements?: readonly string[];
}

export interface MintOptions {
  issuer: string;
  audience: string;
  /** Lifetime from now, seconds. */
  expiresInSeconds: number;
  /** Seconds from now before which the token is not valid (nbf); default: valid from now. */
  notBeforeInSeconds?: number;
  /** Clock of the issuer, ms since the epoch (default now): tests mint tokens from the past. */
  nowMs?: number;
}

/** A signed access token, as an IdP would issue it to one of the registry's clients. */
export async function mintToken(key: JWK, grant: TokenGrant, options: MintOptions): Promise<string> {
  const now = Math.floor((options.nowMs ?? Date.now()) / 1000);
  const claims: Record<string, unknown> = { modelreg_roles: [...grant.roles] };
  if (grant.models) claims['modelreg_models'] = [...grant.models];
  if (grant.placements) claims['modelreg_placements'] = [...grant.placements];
  const jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: LOCAL_ISSUER_ALGORITHM, kid: key.kid, typ: 'at+jwt' })
    .setIssuer(options.issuer)
    .setAudience(options.audience)
    .setSubject(grant.subject)
    .setIssuedAt(now)
    .setExpirationTime(now + options.expiresInSeconds);
  if (options.notBeforeInSeconds !== undefined) jwt.setNotBefore(now + options.notBeforeInSeconds);
  return jwt.sign(await importJWK(key, LOCAL_ISSUER_ALGORITHM));
}
