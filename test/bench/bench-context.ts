export interface BenchResult {
  name: string;
  /** Figures to quote: medians, percentiles, ratios; units in the key names. */
  figures: Record<string, number | string | null>;
  notes?: string;
}

export interface BenchContext {
  log(line: string): void;
  /** Read from BENCH_* variables by the runner; each benchmark documents its own. */
  settings: Record<string, string | undefined>;
}

export function setting(context: BenchContext, name: string, fallback: number): number {
  const raw = context.settings[name];
  const value = raw === undefined ? fallback : Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got ${raw}`);
  return value;
}
