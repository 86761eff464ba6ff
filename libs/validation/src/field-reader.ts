import { INPUT_LIMITS } from './limits';
import { quoteForMessage, textProblem } from './storable-text';

/** One problem with one field of a request or message, e.g. { field: 'metrics.overall.auc', message: 'must be within [0, 1]' }. */
export interface FieldError {
  field: string;
  message: string;
}

export type Validated<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

export interface TextOptions {
  max?: number;
  pattern?: RegExp;
  patternHint?: string;
}

export interface MapOptions {
  maxEntries?: number;
  maxKeyChars?: number;
  /** What every key must match, e.g. the metric-name pattern. */
  pattern?: RegExp;
  patternHint?: string;
}

/** Collects field errors while reading an untrusted JSON document. */
export class FieldReader {
  readonly errors: FieldError[] = [];

  fail(field: string, message: string): undefined {
    this.errors.push({ field, message });
    return undefined;
  }

  object(value: unknown, field: string): Record<string, unknown> | undefined {
    if (value === null || typeof value !== 'object' || Array.isArray(value))
      return this.fail(field, value === undefined ? 'is required' : 'must be an object');
    return value as Record<string, unknown>;
  }

  array(
    value: unknown,
    field: string,
    { min = 0, max = INPUT_LIMITS.arrayItems }: { min?: number; max?: number } = {},
  ): unknown[] | undefined {
    if (!Array.isArray(value)) return this.fail(field, value === undefined ? 'is required' : 'must be an array');
    if (value.length < min) return this.fail(field, `must have at least ${min} item(s)`);
    if (value.length > max) return this.fail(field, `must have at most ${max} items`);
    return value;
  }

  /** A printable, storable string: not blank, bounded, no control characters, no U+0000, no unpaired surrogate. */
  text(value: unknown, field: string, { max = INPUT_LIMITS.textChars, pattern, patternHint }: TextOptions = {}): string | undefined {
    if (typeof value !== 'string') return this.fail(field, value === undefined ? 'is required' : 'must be a string');
    const problem = textProblem(value, { max });
    if (problem) return this.fail(field, problem);
    if (pattern && !pattern.test(value)) return this.fail(field, patternHint ?? `must match ${pattern}`);
    return value;
  }

  /**
   * The entries of an object used as a map (labels, seeds, metric values...): at most `maxEntries`,
   * each key a storable string of at most `maxKeyChars` matching `pattern`. A bad key is reported
   * on the map's field with the key quoted, and its entry left out.
   */
  entries(
    value: unknown,
    field: string,
    { maxEntries = INPUT_LIMITS.mapEntries, maxKeyChars = INPUT_LIMITS.mapKeyChars, pattern, patternHint }: MapOptions = {},
  ): Array<[string, unknown]> {
    const map = this.object(value, field);
    if (!map) return [];
    const keys = Object.keys(map);
    if (keys.length > maxEntries) {
      this.fail(field, `must have at most ${maxEntries} entries, got ${keys.length}`);
      return [];
    }
    const entries: Array<[string, unknown]> = [];
    for (const key of keys) {
      const problem =
        textProblem(key, { max: maxKeyChars }) ?? (pattern && !pattern.test(key) ? (patternHint ?? `must match ${pattern}`) : null);
      if (problem) this.fail(field, `key ${quoteForMessage(key)} ${problem}`);
      else entries.push([key, map[key]]);
    }
    return entries;
  }

  optionalText(value: unknown, field: string, options: TextOptions = {}): string | null {
    if (value === undefined || value === null) return null;
    return this.text(value, field, options) ?? null;
  }

  /** A finite number (JSON cannot carry NaN, but strings like "NaN" and huge exponents can). */
  number(value: unknown, field: string, { min = -Number.MAX_VALUE, max = Number.MAX_VALUE, integer = false } = {}): number | undefined {
    if (typeof value !== 'number') return this.fail(field, value === undefined ? 'is required' : 'must be a number');
    if (!Number.isFinite(value)) return this.fail(field, 'must be a finite number (no NaN or Infinity)');
    if (integer && !Number.isSafeInteger(value)) return this.fail(field, 'must be an integer');
    if (value < min || value > max) return this.fail(field, `must be within [${min}, ${max}], got ${value}`);
    return value;
  }

  /** An ISO-8601 timestamp with a zone, returned as epoch milliseconds. */
  timestamp(value: unknown, field: string): number | undefined {
    const text = this.text(value, field, { max: 40 });
    if (text === undefined) return undefined;
    if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/.test(text))
      return this.fail(field, 'must be an ISO-8601 date or date-time with zone, e.g. 2024-01-10T00:00:00Z');
    const millis = Date.parse(text.length === 10 ? `${text}T00:00:00Z` : text);
    if (Number.isNaN(millis)) return this.fail(field, 'is not a valid date');
    return millis;
  }

  result<T>(value: T): Validated<T> {
    return this.errors.length > 0 ? { ok: false, errors: this.errors } : { ok: true, value };
  }
}
