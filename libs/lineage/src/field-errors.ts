/** One problem with one field of a request or message, e.g. { field: 'metrics.overall.auc', message: 'must be within [0, 1]' }. */
export interface FieldError {
  field: string;
  message: string;
}

export type Validated<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

/** Collects field errors while reading an untrusted JSON document. */
export class FieldReader {
  readonly errors: FieldError[] = [];

  fail(field: string, message: string): undefined {
    this.errors.push({ field, message });
    return undefined;
  }

  object(value: unknown, field: string): Record<string, unknown> | undefined {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return this.fail(field, value === undefined ? 'is required' : 'must be an object');
    return value as Record<string, unknown>;
  }

  array(value: unknown, field: string, { min = 0, max = 10_000 } = {}): unknown[] | undefined {
    if (!Array.isArray(value)) return this.fail(field, value === undefined ? 'is required' : 'must be an array');
    if (value.length < min) return this.fail(field, `must have at least ${min} item(s)`);
    if (value.length > max) return this.fail(field, `must have at most ${max} items`);
    return value;
  }

  /** A printable string without control characters. */
  text(value: unknown, field: string, { max = 256, pattern, patternHint }: { max?: number; pattern?: RegExp; patternHint?: string } = {}): string | undefined {
    if (typeof value !== 'string') return this.fail(field, value === undefined ? 'is required' : 'must be a string');
    if (value.trim() === '') return this.fail(field, 'must not be empty');
    if (value.length > max) return this.fail(field, `must be at most ${max} characters`);
    if (/[\u0000-\u001f\u007f]/.test(value)) return this.fail(field, 'must not contain control characters');
    if (pattern && !pattern.test(value)) return this.fail(field, patternHint ?? `must match ${pattern}`);
    return value;
  }

  optionalText(value: unknown, field: string, options: { max?: number; pattern?: RegExp; patternHint?: string } = {}): string | null {
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
    if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/.test(text)) return this.fail(field, 'must be an ISO-8601 date or date-time with zone, e.g. 2024-01-10T00:00:00Z');
    const millis = Date.parse(text.length === 10 ? `${text}T00:00:00Z` : text);
    if (Number.isNaN(millis)) return this.fail(field, 'is not a valid date');
    return millis;
  }

  result<T>(value: T): Validated<T> {
    return this.errors.length > 0 ? { ok: false, errors: this.errors } : { ok: true, value };
  }
}
