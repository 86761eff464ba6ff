import { randomUUID } from 'node:crypto';
import { buildEnvelope, EventCodec, exampleRunRegistered, SchemaCatalog, type RegistryEvent } from '@modelreg/events';
import { bearer, createTestEnvironment, eventually, startService, testKafka } from '@modelreg/testing';
import { percentile, round } from './bench-stats';
import { setting, type BenchContext, type BenchResult } from './bench-context';

const codec = new EventCodec(SchemaCatalog.load());

function passedGate(modelName: string, version: number): RegistryEvent {
  return {
    type: 'GateEvaluated',
    data: {
      envelope: buildEnvelope('GateEvaluated', {
        eventId: randomUUID(),
        occurredAt: Date.now(),
        producer: 'bench',
        correlationId: 'bench',
        modelName,
        modelVersion: version,
      }),
      modelName,
      candidateVersion: version,
      baselineVersion: null,
      baselineRule: 'no-baseline',
      policy: { policyId: 'default', policyVersion: 1, contentHash: 'bench' },
      trigger: 'RunRegistered',
      checks: [],
      verdict: 'PASSED',
      eligibleForDeployment: true,
      baselines: [],
    },
  };
}

/**
 * BENCH_DEPLOYMENT_PLACEMENTS (default 200), BENCH_DEPLOYMENT_CONCURRENCY (default 16): each
 * placement goes through a canary lifecycle and online metrics over HTTP (state is updated in the
 * request's transaction, so the response time is report-to-state latency); then reports over the
 * Kafka topic, timed until the state shows them.
 */
export async function deploymentsBenchmark(context: BenchContext): Promise<BenchResult> {
  const placements = setting(context, 'BENCH_DEPLOYMENT_PLACEMENTS', 200);
  const concurrency = setting(context, 'BENCH_DEPLOYMENT_CONCURRENCY', 16);
  const environment = await createTestEnvironment('bench-deployments');
  const tracker = await startService('deployment-tracker', { ...environment.env, LOG_LEVEL: 'error' }, { compiled: true });
  const kafka = testKafka('bench-deployments');
  const producer = kafka.producer();
  await producer.connect();
  try {
    const models = Array.from({ length: placements }, (_, index) => `bench-model-${index}`);
    await producer.send({
      topic: `${environment.id}.lineage.v1`,
      messages: models.map((model) => ({
        key: model,
        value: environment.sealer.seal('lineage', codec.encode({ type: 'RunRegistered', data: exampleRunRegistered(model, 1) })),
      })),
    });
    await producer.send({
      topic: `${environment.id}.gates.v1`,
      messages: models.map((model) => ({ key: model, value: environment.sealer.seal('gates', codec.encode(passedGate(model, 1))) })),
    });
    const post = async (body: Record<string, unknown>) => {
      const started = performance.now();
      const response = await fetch(`${tracker.url}/v1/deployments/reports`, {
        method: 'POST',
        body: JSON.stringify(body),
        headers: { ...bearer(), 'content-type': 'application/json' },
      });
      await response.arrayBuffer();
      return { status: response.status, ms: performance.now() - started };
    };
    const where = (model: string) => ({ modelName: model, service: 'bench', surface: 'home', environment: 'production' });
    const day = Date.UTC(2024, 0, 1);
    await eventually(
      () =>
        post({
          kind: 'CANARY_STARTED',
          reportId: `warm-${Date.now()}`,
          reportedAt: new Date(day).toISOString(),
          deploymentId: 'warm',
          ...where(models[models.length - 1] as string),
          modelVersion: 1,
          trafficPercent: 1,
        }),
      (r) => r.status === 201,
      { timeoutMs: 60_000, what: 'tracker knows the verdicts' },
    );

    const latencies: number[] = [];
    let failures = 0;
    const lifecycle = async (model: string) => {
      const at = (step: number) => new Date(day + step * 60_000).toISOString();
      const reports = [
        { kind: 'CANARY_STARTED', deploymentId: `d-${model}`, ...where(model), modelVersion: 1, trafficPercent: 5 },
        { kind: 'CANARY_TRAFFIC_CHANGED', deploymentId: `d-${model}`, trafficPercent: 25 },
        {
          kind: 'ONLINE_METRICS',
          ...where(model),
          modelVersion: 1,
          windowStart: at(0),
          windowEnd: at(2),
          metrics: { p99_latency_ms: 50, ctr: 0.05 },
        },
        { kind: 'CANARY_TRAFFIC_CHANGED', deploymentId: `d-${model}`, trafficPercent: 50 },
        {
          kind: 'ONLINE_METRICS',
          ...where(model),
          modelVersion: 1,
          windowStart: at(2),
          windowEnd: at(4),
          metrics: { p99_latency_ms: 52, ctr: 0.051 },
        },
        { kind: 'ROLLOUT_COMPLETED', deploymentId: `d-${model}` },
      ];
      for (const [step, report] of reports.entries()) {
        const result = await post({ ...report, reportId: `${model}-${step}`, reportedAt: at(step + 5) });
        if (result.status === 201) latencies.push(result.ms);
        else failures += 1;
      }
    };
    const queue = models.slice(0, -1);
    const started = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        for (let model = queue.shift(); model; model = queue.shift()) await lifecycle(model);
      }),
    );
    const seconds = (performance.now() - started) / 1000;

    // Over Kafka: a report appended to the topic, until the deployment shows it.
    const kafkaLatencies: number[] = [];
    const model = models[0] as string;
    for (let index = 0; index < 50; index += 1) {
      const reportId = `kafka-${index}`;
      const traffic = 10 + (index % 80);
      const appended = Date.now();
      await producer.send({
        topic: `${environment.id}.deployment-reports.v1`,
        messages: [
          {
            key: model,
            value: codec.encode({
              type: 'DeploymentReportSubmitted',
              data: {
                envelope: buildEnvelope('DeploymentReportSubmitted', {
                  eventId: randomUUID(),
                  occurredAt: appended,
                  producer: 'bench',
                  correlationId: reportId,
                  modelName: model,
                }),
                reportId,
                kind: 'CANARY_STARTED',
                reportedAt: day + 86_400_000,
                body: JSON.stringify({
                  deploymentId: `k-${index}`,
                  ...where(model),
                  service: `kafka-${index}`,
                  modelVersion: 1,
                  trafficPercent: traffic,
                }),
              },
            }),
          },
        ],
      });
      await eventually(
        () => fetch(`${tracker.url}/v1/deployments/k-${index}`, { headers: bearer() }).then((r) => r.status),
        (status) => status === 200,
        { intervalMs: 5, what: 'report applied' },
      );
      kafkaLatencies.push(Date.now() - appended);
    }
    return {
      name: 'deployments: controller reports',
      figures: {
        placements: placements - 1,
        concurrency,
        reports_applied: latencies.length,
        failures,
        http_reports_per_s: round(latencies.length / seconds, 1),
        http_report_to_state_p50_ms: round(percentile(latencies, 50)),
        http_report_to_state_p99_ms: round(percentile(latencies, 99)),
        kafka_report_to_state_p50_ms: percentile(kafkaLatencies, 50),
        kafka_report_to_state_p99_ms: percentile(kafkaLatencies, 99),
      },
    };
  } finally {
    await producer.disconnect();
    await tracker.stop();
    await environment.dispose();
  }
}
