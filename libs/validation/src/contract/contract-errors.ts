import type { z } from 'zod';
import type { FieldError } from '../field-reader';

/** A zod issue path as our problem details name fields: `metrics.overall.auc`, `artifacts[0].sha256`, `body` for the whole. */
export function fieldPath(path: ReadonlyArray<PropertyKey>): string {
  let field = '';
  for (const segment of path) field += typeof segment === 'number' ? `[${segment}]` : `${field ? '.' : ''}${String(segment)}`;
  return field || 'body';
}

const ARTICLE: Record<string, string> = {
  object: 'an object',
  array: 'an array',
  int: 'an integer',
  integer: 'an integer',
  string: 'a string',
  number: 'a number',
  boolean: 'a boolean',
  null: 'null',
};

/**
 * Zod's default texts worded as the rest of our validation words them ("is required", "must be a
 * string"), so a client sees one vocabulary whichever check refused it. Used as the per-parse error
 * map: a message written into a schema still wins.
 */
export function contractMessage(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? 'is required' : `must be ${ARTICLE[issue.expected] ?? issue.expected}`;
    case 'too_small':
      return issue.origin === 'array' || issue.origin === 'set'
        ? `must have at least ${String(issue.minimum)} item(s)`
        : issue.origin === 'string'
          ? `must be at least ${String(issue.minimum)} characters`
          : `must be at least ${String(issue.minimum)}`;
    case 'too_big':
      return issue.origin === 'array' || issue.origin === 'set'
        ? `must have at most ${String(issue.maximum)} items`
        : issue.origin === 'string'
          ? `must be at most ${String(issue.maximum)} characters`
          : `must be at most ${String(issue.maximum)}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map((value) => JSON.stringify(value)).join(', ')}`;
    case 'invalid_format':
      return issue.format === 'regex' ? `must match ${String(issue.pattern)}` : `must be a valid ${issue.format}`;
    case 'invalid_union':
      // A discriminated union names the discriminator's values; another union has no better words than its schema's.
      return 'discriminator' in issue && Array.isArray(issue['options']) ? `must be one of ${issue['options'].join(', ')}` : undefined;
    case 'unrecognized_keys':
      return `has unknown key(s) ${issue.keys.map((key) => JSON.stringify(key)).join(', ')}`;
    default:
      return undefined;
  }
}

/** Every issue of a failed parse as a field error, the `errors` of a 422. */
export function contractFieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => ({ field: fieldPath(issue.path), message: issue.message }));
}
