/**
 * Whether `value` matches a grant pattern: `*` stands for any run of characters (none included),
 * `?` for one character, everything else for itself (case-sensitive, no character classes, so a
 * pattern is never read as a regular expression). `fraud-*` matches `fraud-model` and `fraud-`.
 */
export function matchesPattern(pattern: string, value: string): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`, 's').test(value);
}

/** A placement pattern `service/environment`, each half a pattern: `fraud-api/prod`, `*\/staging`. */
export function matchesPlacementPattern(pattern: string, placement: { service: string; environment: string }): boolean {
  const slash = pattern.indexOf('/');
  if (slash < 0) return false;
  return matchesPattern(pattern.slice(0, slash), placement.service) && matchesPattern(pattern.slice(slash + 1), placement.environment);
}
