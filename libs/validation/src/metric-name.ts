import type { FieldReader } from './field-reader';
import { quoteForMessage } from './storable-text';

/**
 * The one metric-naming rule, wherever a metric is named: a run's metrics (overall, per slice,
 * per group, per target), policy checks, guardrails and tolerance keys, online metrics, A/B
 * results and rollback triggers. A canonical metric name is 1-128 characters of lower-case ASCII
 * letters, digits and "_", starting with a letter: `auc`, `ndcg_at_20`, `p99_latency_ms`. Common
 * other spellings are normalized before that check, in this order: upper-case ASCII letters are
 * lower-cased, "@" becomes "_at_", "." and "-" become "_" (`NDCG@20` and `ndcg@20` are both
 * `ndcg_at_20`, `latency.p99` is `latency_p99`). Anything else (spaces, "/", other punctuation, a
 * leading digit or "_", non-ASCII letters) is rejected, so a metric means one thing everywhere.
 */
export const METRIC_NAME_PATTERN = /^[a-z][a-z0-9_]{0,127}$/;
export const METRIC_NAME_MAX_CHARS = 128;
export const METRIC_NAME_HINT =
  'must be a metric name: 1-128 characters of a-z, 0-9 and "_", starting with a letter ' +
  '("@" is written "_at_", "." and "-" as "_": ndcg@20 is ndcg_at_20)';

/** The canonical spelling of a metric name, or undefined when it cannot be one. */
export function canonicalMetricName(name: string): string | undefined {
  const normalized = name
    .replace(/[A-Z]/g, (letter) => letter.toLowerCase())
    .replace(/@/g, '_at_')
    .replace(/[.-]/g, '_');
  return METRIC_NAME_PATTERN.test(normalized) ? normalized : undefined;
}

/** A metric name read from a document: canonical, or a field error naming the rule. */
export function readMetricName(r: FieldReader, value: unknown, field: string): string | undefined {
  const text = r.text(value, field, { max: METRIC_NAME_MAX_CHARS });
  if (text === undefined) return undefined;
  return canonicalMetricName(text) ?? r.fail(field, METRIC_NAME_HINT);
}

/** An optional metric name: null when absent. */
export function readOptionalMetricName(r: FieldReader, value: unknown, field: string): string | null {
  return value === undefined || value === null ? null : (readMetricName(r, value, field) ?? null);
}

/**
 * The entries of an object keyed by metric names (the map rules of `FieldReader.entries`; a key
 * longer than 128 characters can never be normalized to a shorter one), with
 * canonical keys. A key that cannot be a metric name, or two keys naming one metric (`ndcg@20`
 * and `ndcg_at_20`), is reported on the map's field with the key quoted. Each entry carries the
 * field path of its key as written, for errors about its value.
 */
export function metricEntries(r: FieldReader, input: unknown, field: string): Array<{ metric: string; value: unknown; field: string }> {
  const entries: Array<{ metric: string; value: unknown; field: string }> = [];
  const seen = new Map<string, string>();
  for (const [key, value] of r.entries(input, field, { maxKeyChars: METRIC_NAME_MAX_CHARS })) {
    const metric = canonicalMetricName(key);
    const earlier = metric === undefined ? undefined : seen.get(metric);
    if (metric === undefined) r.fail(field, `key ${quoteForMessage(key)} ${METRIC_NAME_HINT}`);
    else if (earlier !== undefined)
      r.fail(field, `key ${quoteForMessage(key)} names the same metric as ${quoteForMessage(earlier)} (${metric})`);
    else {
      seen.set(metric, key);
      entries.push({ metric, value, field: `${field}.${key}` });
    }
  }
  return entries;
}
