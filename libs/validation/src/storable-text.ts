const NUL = /\u0000/;
const CONTROL = /[\u0000-\u001f\u007f]/;
/** A high surrogate not followed by a low one, or a low surrogate not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export interface TextRules {
  /** Largest length in UTF-16 code units. */
  max: number;
}

/**
 * Why a string cannot be stored everywhere it goes, or null when it can. Postgres rejects U+0000
 * in text and jsonb (a projection would fail on every retry), and an unpaired UTF-16 surrogate
 * has no UTF-8 encoding, so Avro, Kafka and Postgres would each store something else. Other
 * control characters (tabs and newlines included) are refused too: every field is single-line.
 */
export function textProblem(value: string, { max }: TextRules): string | null {
  if (value.trim() === '') return 'must not be empty';
  if (value.length > max) return `must be at most ${max} characters, got ${value.length}`;
  if (NUL.test(value)) return 'must not contain U+0000 (NUL)';
  if (CONTROL.test(value)) return 'must not contain control characters';
  if (LONE_SURROGATE.test(value)) return 'must not contain an unpaired UTF-16 surrogate (U+D800 to U+DFFF)';
  return null;
}

/** A short, escaped rendering of untrusted text for an error message (a 1 MB key stays readable). */
export function quoteForMessage(value: string, maxChars = 40): string {
  return value.length > maxChars ? `${JSON.stringify(value.slice(0, maxChars))}…` : JSON.stringify(value);
}
