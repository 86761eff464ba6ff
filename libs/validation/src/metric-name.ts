/**
 * Metric names, wherever they appear (a run's metrics, policy checks and tolerances, online
 * metrics, A/B results): lower-case identifiers that may carry "@k" or a dotted suffix, e.g.
 * precision_at_10, ndcg@20, latency.p99; at most 128 characters.
 */
export const METRIC_NAME_PATTERN = /^[a-z][a-z0-9_@.]{0,127}$/;
export const METRIC_NAME_HINT = 'must be a lower-case metric name (a-z, 0-9, "_", "@", "."), starting with a letter, at most 128 characters';
export const METRIC_NAME_MAX_CHARS = 128;
