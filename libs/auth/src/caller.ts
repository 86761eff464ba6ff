import type { AuthSettings } from '@modelreg/config';
import type { EventPrincipal } from '@modelreg/events';
import { isRole, type Role } from './roles';

/** A verified caller: who it is (carried into events) and what its token grants. */
export interface Caller {
  principal: EventPrincipal;
  roles: ReadonlySet<Role>;
  /** Model-name patterns a trainer may register under (`fraud-*`); none: no model. */
  modelPatterns: string[];
  /** `service/environment` patterns a controller may act on (`fraud-api/*`); none: no placement. */
  placementPatterns: string[];
}

/**
 * Maps a verified token's claims to a caller. Role names the registry does not know are ignored
 * (an identity provider's token carries roles of other applications too); a claim may be a JSON
 * array of strings or one space-separated string (OAuth2 `scope` style); a dotted claim name reads
 * a nested object (`realm_access.roles`).
 */
export function callerFromClaims(claims: Readonly<Record<string, unknown>>, names: AuthSettings['claims']): Caller {
  const roles = new Set(stringsOf(claimAt(claims, names.roles)).filter(isRole));
  return {
    principal: { subject: String(claims['sub']), issuer: String(claims['iss']), roles: [...roles].sort() },
    roles,
    modelPatterns: stringsOf(claimAt(claims, names.models)),
    placementPatterns: stringsOf(claimAt(claims, names.placements)),
  };
}

function claimAt(claims: Readonly<Record<string, unknown>>, name: string): unknown {
  if (name in claims) return claims[name];
  let value: unknown = claims;
  for (const part of name.split('.')) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

function stringsOf(value: unknown): string[] {
  if (typeof value === 'string') return value.split(' ').filter(Boolean);
  if (Array.isArray(value)) return value.filter((entry): entry is string => typeof entry === 'string' && entry !== '');
  return [];
}
