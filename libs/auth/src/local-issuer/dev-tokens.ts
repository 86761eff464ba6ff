import type { JWK } from 'jose';
import { mintToken, type TokenGrant } from './mint-token';

/** The audience of the local stack's and the tests' tokens (AUTH_AUDIENCE). */
export const LOCAL_AUDIENCE = 'modelreg';

/**
 * One development identity per role (plus a second policy admin, since a policy change needs two
 * different people), each granted every model and placement. Keyed by the environment variable
 * that carries its token in .local/stack.env.
 */
export const DEV_GRANTS = {
  MODELREG_TOKEN_TRAINER: { subject: 'dev-trainer', roles: ['trainer'], models: ['*'] },
  MODELREG_TOKEN_CONTROLLER: { subject: 'dev-controller', roles: ['controller'], placements: ['*/*'] },
  MODELREG_TOKEN_POLICY_ADMIN: { subject: 'dev-policy-admin', roles: ['policy-admin'] },
  MODELREG_TOKEN_POLICY_ADMIN_2: { subject: 'dev-policy-admin-2', roles: ['policy-admin'] },
  MODELREG_TOKEN_AUDITOR: { subject: 'dev-auditor', roles: ['auditor'] },
  MODELREG_TOKEN_READER: { subject: 'dev-reader', roles: ['reader'] },
  MODELREG_TOKEN_METRICS: { subject: 'dev-metrics', roles: ['metrics'] },
} as const satisfies Record<string, TokenGrant>;

export type DevTokenName = keyof typeof DEV_GRANTS;

/** Development tokens valid 30 days: long enough for a working month, regenerated at each stack start. */
export const DEV_TOKEN_LIFETIME_SECONDS = 30 * 24 * 3600;

export async function mintDevTokens(key: JWK, issuer: string): Promise<Record<DevTokenName, string>> {
  const entries = await Promise.all(
    Object.entries(DEV_GRANTS).map(
      async ([name, grant]) =>
        [name, await mintToken(key, grant, { issuer, audience: LOCAL_AUDIENCE, expiresInSeconds: DEV_TOKEN_LIFETIME_SECONDS })] as const,
    ),
  );
  return Object.fromEntries(entries) as Record<DevTokenName, string>;
}
