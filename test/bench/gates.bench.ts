import { EventCodec, exampleRunRegistered, SchemaCatalog, type RunRegistered } from '@modelreg/events';
import { DEFAULT_POLICY, evaluateGate, type CheckDefinition, type GatePolicy, type GateSubject } from '@modelreg/gates';
import { createTestEnvironment, startService, testKafka } from '@modelreg/testing';
import { median, percentile, round } from './bench-stats';
import { setting, type BenchContext, type BenchResult } from './bench-context';

const SLICES = 50;

function subjectWithSlices(version: number, auc: number): GateSubject {
  const run = exampleRunRegistered('bench-model', version);
  const slices = Array.from({ length: SLICES }, (_, index) => ({
    slice: `segment=${index}`,
    trafficShare: 1 / SLICES,
    metrics: { auc, calibration_slope: 1 + (index % 5) * 0.001, recall: 0.7, precision: 0.8 },
  }));
  const fairness = ['age_band', 'gender', 'region'].flatMap((attribute) =>
    ['a', 'b', 'c', 'd'].map((group, index) => ({ attribute, group, metrics: { precision: 0.8 + index * 0.004, recall: 0.7 } })),
  );
  return {
    modelName: 'bench-model',
    modelVersion: version,
    artifacts: run.artifacts,
    metrics: { ...run.metrics, overall: { ...run.metrics.overall, auc, logloss: 0.3, recall: 0.7 }, slices, fairness },
  };
}

/** 20 checks, most of them across all 50 slices: the evaluator's heavy case. */
function twentyCheckPolicy(): GatePolicy {
  const checks: CheckDefinition[] = [];
  for (let index = 0; index < 6; index += 1)
    checks.push({
      id: `slice-floor-${index}`,
      kind: 'slice-threshold',
      metric: index % 2 ? 'recall' : 'auc',
      slices: { topKByTraffic: SLICES },
      bound: { min: 0.5 },
    });
  for (let index = 0; index < 6; index += 1)
    checks.push({
      id: `slice-change-${index}`,
      kind: 'slice-change',
      metric: 'auc',
      slices: { topKByTraffic: SLICES },
      change: { direction: 'higher', absolute: -0.01 },
    });
  checks.push({
    id: 'calibration',
    kind: 'slice-threshold',
    metric: 'calibration_slope',
    slices: { topKByTraffic: SLICES },
    bound: { target: 1, maxDeviation: 0.02 },
  });
  checks.push({ id: 'auc', kind: 'metric-change', metric: 'auc', change: { direction: 'higher', absolute: 0.005 } });
  checks.push({ id: 'logloss', kind: 'metric-threshold', metric: 'logloss', bound: { max: 0.4 } });
  checks.push({ id: 'parity-precision', kind: 'group-disparity', metric: 'precision', maxGap: 0.02 });
  checks.push({ id: 'parity-recall', kind: 'group-disparity', metric: 'recall', maxGap: 0.02 });
  checks.push({ id: 'size', kind: 'artifact-size', target: 'server', bound: { below: 5e9 }, ifAbsent: 'fail' });
  checks.push({ id: 'format', kind: 'artifact-format', target: 'server', formats: ['SavedModel'], ifAbsent: 'fail' });
  checks.push({ id: 'latency', kind: 'operational', metric: 'p99_latency_ms', targets: 'all-artifact-targets', bound: { below: 100 } });
  return { ...DEFAULT_POLICY, policyId: 'bench', checks };
}

/** BENCH_EVALUATOR_SECONDS (default 3 per round, 5 rounds): evaluations per second of the pure evaluator. */
export async function evaluatorBenchmark(context: BenchContext): Promise<BenchResult> {
  const seconds = setting(context, 'BENCH_EVALUATOR_SECONDS', 3);
  const policy = twentyCheckPolicy();
  const candidate = subjectWithSlices(2, 0.93);
  const baseline = subjectWithSlices(1, 0.92);
  const rates: number[] = [];
  let checks = 0;
  for (let round_ = 0; round_ < 5; round_ += 1) {
    let count = 0;
    const started = performance.now();
    while (performance.now() - started < seconds * 1000) {
      checks = evaluateGate(candidate, baseline, policy).checks.length;
      count += 1;
    }
    rates.push(count / ((performance.now() - started) / 1000));
  }
  return {
    name: 'gates: pure evaluator',
    figures: {
      policy_checks: policy.checks.length,
      slices: SLICES,
      check_results_per_evaluation: checks,
      evaluations_per_s_median: round(median(rates), 0),
    },
  };
}

/**
 * BENCH_GATE_RUNS (default 10000), BENCH_GATE_RATE (runs/s, default 200): RunRegistered appended
 * to the lineage topic at a steady rate; latency until the matching GateEvaluated is appended.
 */
export async function gateLatencyBenchmark(context: BenchContext): Promise<BenchResult> {
  const runs = setting(context, 'BENCH_GATE_RUNS', 10_000);
  const rate = setting(context, 'BENCH_GATE_RATE', 200);
  const environment = await createTestEnvironment('bench-gates');
  const gates = await startService('gate-validator', { ...environment.env, LOG_LEVEL: 'error' }, { compiled: true });
  const kafka = testKafka('bench-gates');
  const codec = new EventCodec(SchemaCatalog.load());
  const appendedAt = new Map<string, number>();
  const latencies: number[] = [];
  const consumer = kafka.consumer({ groupId: `${environment.id}-bench-reader` });
  try {
    await consumer.connect();
    await consumer.subscribe({ topic: `${environment.id}.gates.v1`, fromBeginning: true });
    const allDecided = new Promise<void>((resolve) => {
      void consumer.run({
        eachMessage: async ({ message }) => {
          const event = codec.decode(message.value);
          if (event.type !== 'GateEvaluated') return;
          const sent = appendedAt.get(event.data.envelope.causationId ?? '');
          if (sent !== undefined) latencies.push(Number(message.timestamp) - sent);
          if (latencies.length >= runs) resolve();
        },
      });
    });
    const producer = kafka.producer();
    await producer.connect();
    const perTick = Math.max(1, Math.round(rate / 20));
    const started = performance.now();
    for (let index = 0; index < runs;) {
      const messages = [];
      for (let n = 0; n < perTick && index < runs; n += 1, index += 1) {
        const event: RunRegistered = exampleRunRegistered(`bench-model-${index % 100}`, Math.floor(index / 100) + 1);
        const now = Date.now();
        appendedAt.set(event.envelope.eventId, now);
        messages.push({
          key: event.modelName,
          value: environment.sealer.seal('lineage', codec.encode({ type: 'RunRegistered', data: event })),
          timestamp: String(now),
        });
      }
      await producer.send({ topic: `${environment.id}.lineage.v1`, messages });
      const due = started + (index / rate) * 1000;
      await new Promise((r) => setTimeout(r, Math.max(0, due - performance.now())));
    }
    await producer.disconnect();
    await Promise.race([
      allDecided,
      new Promise((_, reject) => setTimeout(() => reject(new Error(`only ${latencies.length} of ${runs} decisions`)), 600_000)),
    ]);
    const elapsed = (performance.now() - started) / 1000;
    return {
      name: 'gates: RunRegistered appended -> GateEvaluated appended',
      figures: {
        runs,
        offered_rate_per_s: rate,
        achieved_decisions_per_s: round(runs / elapsed, 1),
        latency_p50_ms: percentile(latencies, 50),
        latency_p99_ms: percentile(latencies, 99),
        latency_max_ms: percentile(latencies, 100),
      },
    };
  } finally {
    await consumer.disconnect();
    await gates.stop();
    await environment.dispose();
  }
}
