import type { FieldReader } from './field-errors';

/**
 * The one metric-naming rule. A canonical metric name is 1-128 characters of lower-case ASCII
 * letters, digits and "_", starting with a letter: `auc`, `ndcg_at_20`, `p99_latency_ms`.
 * Common other spellings are normalized before that check, in this order: upper-case ASCII letters
 * are lower-cased, "@" becomes "_at_", "." and "-" become "_" (so `NDCG@20` and `ndcg@20` are both
 * `ndcg_at_20`, `top1.acc` is `top1_acc`). Anything else (spaces, "/", other punctuation, a
 * leading digit or "_") is rejected. Every entry point applies it: run registration, deployment
 * reports and policy publishing, so a metric means the same thing wherever it is named.
 */
export const METRIC_NAME_PATTERN = /^[a-z][a-z0-9_]{0,127}$/;
export const METRIC_NAME_HINT =
  'must be a metric name: 1-128 characters of a-z, 0-9 and "_", starting with a letter ("@" is written "_at_", "." and "-" as "_": ndcg@20 is ndcg_at_20)';

/** The canonical spelling of a metric name, or undefined when it cannot be one. */
export function canonicalMetricName(name: string): string | undefined {
  const normalized = name.replace(/[A-Z]/g, (letter) => letter.toLowerCase()).replace(/@/g, '_at_').replace(/[.-]/g, '_');
  return METRIC_NAME_PATTERN.test(normalized) ? normalized : undefined;
}

/** A metric name read from a document: canonical, or a field error naming the rule. */
export function readMetricName(r: FieldReader, value: unknown, field: string): string | undefined {
  const text = r.text(value, field, { max: 256 });
  if (text === undefined) return undefined;
  return canonicalMetricName(text) ?? r.fail(field, METRIC_NAME_HINT);
}

/**
 * The entries of an object keyed by metric names, with canonical keys. A key that cannot be a
 * metric name, or two keys naming one metric (`ndcg@20` and `ndcg_at_20`), is a field error.
 * Each entry keeps the field path of the key as written, for errors about its value.
 */
export function metricEntries(r: FieldReader, values: Record<string, unknown>, field: string): Array<{ metric: string; value: unknown; field: string }> {
  const entries: Array<{ metric: string; value: unknown; field: string }> = [];
  const seen = new Map<string, string>();
  for (const [key, value] of Object.entries(values)) {
    const metric = canonicalMetricName(key);
    if (metric === undefined) {
      r.fail(`${field}.${key}`, METRIC_NAME_HINT);
      continue;
    }
    const earlier = seen.get(metric);
    if (earlier !== undefined) {
      r.fail(`${field}.${key}`, `names the same metric as "${earlier}" (${metric})`);
      continue;
    }
    seen.set(metric, key);
    entries.push({ metric, value, field: `${field}.${key}` });
  }
  return entries;
}
