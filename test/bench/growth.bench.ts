import { projectionsBenchmark } from './projections.bench';
import type { BenchContext, BenchResult } from './bench-context';

/** The figures the growth targets are about, per size (docs/BENCHMARKS.md, "Growth"). */
const TRACKED = [
  'replay_total_seconds',
  'replay_events_per_s',
  'version_by_id_p50_ms',
  'version_by_id_p99_ms',
  'impact_by_snapshot_p99_ms',
  'deployed_per_service_p99_ms',
  'lineage_diff_p99_ms',
  'append_to_visible_p99_ms',
] as const;

/** Query p99s and append-to-visible p99, the series the plot draws (targets: under 10 ms and 50 ms at every size). */
const PLOTTED = ['version_by_id_p99_ms', 'impact_by_snapshot_p99_ms', 'lineage_diff_p99_ms', 'append_to_visible_p99_ms'] as const;

function sizes(context: BenchContext): number[] {
  const raw = context.settings['BENCH_GROWTH_SIZES'] ?? '100000,1000000,5000000';
  const parsed = raw.split(',').map((size) => Number(size.trim()));
  if (parsed.some((size) => !Number.isInteger(size) || size <= 0))
    throw new Error(`BENCH_GROWTH_SIZES must list positive integers, got ${raw}`);
  return parsed;
}

/** A Mermaid xychart (GitHub renders it in docs/BENCHMARKS.md): one line per plotted figure over the sizes. */
export function growthChart(series: Array<{ versions: number; figures: BenchResult['figures'] }>): string {
  const label = (versions: number) => (versions >= 1_000_000 ? `${versions / 1_000_000}M` : `${versions / 1_000}k`);
  const values = (name: string) => series.map((point) => Number(point.figures[name] ?? 0));
  const highest = Math.max(50, ...PLOTTED.flatMap((name) => values(name)));
  return [
    '```mermaid',
    'xychart-beta',
    '  title "p99 latency (ms) by registry size (versions)"',
    `  x-axis [${series.map((point) => `"${label(point.versions)}"`).join(', ')}]`,
    `  y-axis "ms" 0 --> ${Math.ceil(highest)}`,
    ...PLOTTED.map((name) => `  line [${values(name).join(', ')}]`),
    '```',
    `Lines, top to bottom in the legend order: ${PLOTTED.join(', ')}.`,
  ].join('\n');
}

/**
 * The projections benchmark at each of BENCH_GROWTH_SIZES versions (default 100k, 1M, 5M), one after
 * the other on fresh topics and schemas: replay time and query p99 as the registry grows.
 */
export async function growthBenchmark(context: BenchContext): Promise<BenchResult> {
  const series: Array<{ versions: number; figures: BenchResult['figures'] }> = [];
  for (const versions of sizes(context)) {
    context.log(`growth: ${versions} versions`);
    const result = await projectionsBenchmark({
      ...context,
      settings: { ...context.settings, BENCH_PROJECTION_VERSIONS: String(versions) },
    });
    series.push({ versions, figures: result.figures });
  }
  const figures: BenchResult['figures'] = {};
  for (const point of series) for (const name of TRACKED) figures[`${name}@${point.versions}`] = point.figures[name] ?? null;
  return { name: 'growth: replay time and query p99 by size', figures, notes: growthChart(series) };
}
