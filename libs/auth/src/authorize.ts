import type { AccessRule, RequestField } from './access-rule';
import type { Caller } from './caller';
import { matchesPattern, matchesPlacementPattern } from './glob-pattern';

/** What the guard reads from a request to decide: the parsed body, path parameters and query. */
export interface RequestParts {
  body?: unknown;
  params?: Record<string, unknown>;
  query?: Record<string, unknown>;
}

export type AccessDecision = { allowed: true } | { allowed: false; message: string };

/** A pattern list containing these grants every model or placement, names given or not. */
const EVERY_MODEL = '*';
const EVERY_PLACEMENT = '*/*';

/**
 * Whether a caller may use a route: it must hold one of the rule's roles, and where the rule is
 * scoped, the model name or placement the request names must match one of the caller's patterns.
 * A request that does not name what its scope needs is allowed only to a caller granted everything,
 * so a body that leaves the name out cannot slip past the patterns. Pure: the guard is its shell.
 */
export function authorize(caller: Caller, rule: Extract<AccessRule, { kind: 'roles' }>, request: RequestParts): AccessDecision {
  if (!rule.anyOf.some((role) => caller.roles.has(role))) {
    const held = caller.roles.size > 0 ? [...caller.roles].join(', ') : 'none';
    return { allowed: false, message: `requires role ${rule.anyOf.join(' or ')} (the token's roles: ${held})` };
  }
  if (rule.model) {
    const model = fieldOf(request, rule.model);
    const patterns = caller.modelPatterns;
    if (model === undefined) {
      if (!patterns.includes(EVERY_MODEL))
        return { allowed: false, message: `${rule.model.name} must name the model to check it against the token's model patterns` };
    } else if (!patterns.some((pattern) => matchesPattern(pattern, model))) {
      return { allowed: false, message: `model "${model}" is outside the token's model patterns (${listed(patterns)})` };
    }
  }
  if (rule.placement) {
    const service = fieldOf(request, rule.placement.service);
    const environment = fieldOf(request, rule.placement.environment);
    const patterns = caller.placementPatterns;
    if (service === undefined || environment === undefined) {
      if (!patterns.includes(EVERY_PLACEMENT))
        return {
          allowed: false,
          message:
            `${rule.placement.service.name} and ${rule.placement.environment.name} must name the placement ` +
            `to check it against the token's placement patterns`,
        };
    } else if (!patterns.some((pattern) => matchesPlacementPattern(pattern, { service, environment }))) {
      return {
        allowed: false,
        message: `placement "${service}/${environment}" is outside the token's placement patterns (${listed(patterns)})`,
      };
    }
  }
  return { allowed: true };
}

function fieldOf(request: RequestParts, field: RequestField): string | undefined {
  const source = request[field.in];
  const value =
    typeof source === 'object' && source !== null && !Array.isArray(source) ? (source as Record<string, unknown>)[field.name] : undefined;
  return typeof value === 'string' ? value : undefined;
}

function listed(patterns: string[]): string {
  return patterns.length > 0 ? patterns.join(', ') : 'none';
}
