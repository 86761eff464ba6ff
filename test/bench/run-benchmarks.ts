// npm run bench [-- --only name,name]: benchmarks on the real local stack (started if needed).
// Results are printed and written to .local/bench/results-<time>.json; quote medians and ratios.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { resolve } from 'node:path';
import { REPO_ROOT, stackDown, stackStatus, stackUp } from '@modelreg/local-stack';
import type { BenchContext, BenchResult } from './bench-context';
import { evaluatorBenchmark, gateLatencyBenchmark } from './gates.bench';
import { registrationBenchmark, uploadBenchmark } from './ingestion.bench';
import { deploymentsBenchmark } from './deployments.bench';
import { projectionsBenchmark } from './projections.bench';
import { scalingBenchmark } from './scaling.bench';
import { mlflowPeerBenchmark } from './mlflow-peer.bench';
import { growthBenchmark } from './growth.bench';

const BENCHMARKS: Record<string, (context: BenchContext) => Promise<BenchResult>> = {
  evaluator: evaluatorBenchmark,
  registrations: registrationBenchmark,
  upload: uploadBenchmark,
  gates: gateLatencyBenchmark,
  deployments: deploymentsBenchmark,
  projections: projectionsBenchmark,
  scaling: scalingBenchmark,
  peer: mlflowPeerBenchmark,
  growth: growthBenchmark,
};

/** Run only when named (`--only growth`): the 5M-version step alone takes most of an hour. */
const OPT_IN = new Set(['growth']);

async function main(argv: string[]): Promise<number> {
  const onlyIndex = argv.indexOf('--only');
  const selected = onlyIndex >= 0 ? (argv[onlyIndex + 1] ?? '').split(',') : Object.keys(BENCHMARKS).filter((name) => !OPT_IN.has(name));
  const unknown = selected.filter((name) => !BENCHMARKS[name]);
  if (unknown.length > 0) {
    console.error(`unknown benchmark(s) ${unknown.join(', ')}; available: ${Object.keys(BENCHMARKS).join(', ')}`);
    return 2;
  }
  const log = (line: string) => console.log(`[bench] ${line}`);
  // Services run compiled, as in production: no compiler in their memory.
  execFileSync(process.execPath, [resolve(REPO_ROOT, 'tools/build.js')], { stdio: 'inherit' });
  const stackWasUp = await stackStatus(() => undefined);
  await stackUp(process.env, log);
  const settings = Object.fromEntries(Object.entries(process.env).filter(([key]) => key.startsWith('BENCH_')));
  const results: BenchResult[] = [];
  try {
    for (const name of selected) {
      log(`running ${name}`);
      const result = await (BENCHMARKS[name] as (context: BenchContext) => Promise<BenchResult>)({ log, settings });
      results.push(result);
      log(`${result.name}: ${JSON.stringify(result.figures)}`);
      if (result.notes) log(result.notes);
    }
  } finally {
    if (!stackWasUp) await stackDown(log);
  }
  const dir = resolve(REPO_ROOT, '.local/bench');
  mkdirSync(dir, { recursive: true });
  const file = resolve(dir, `results-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(
    file,
    `${JSON.stringify({ at: new Date().toISOString(), machine: { cpus: cpus().length, node: process.version }, results }, null, 2)}\n`,
  );
  log(`results written to ${file}`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`[bench] ${error.stack ?? error.message}`);
    process.exit(1);
  },
);
