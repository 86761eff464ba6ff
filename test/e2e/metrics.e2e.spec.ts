import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  bearer,
  eventually,
  REPO_ROOT,
  startRegistry,
  testKafka,
  type RunningService,
  type TestEnvironment,
  type TestRegistry,
} from '@modelreg/testing';
import { getJson, registerExampleRun } from './registry-client';

/** One sample of a Prometheus text exposition: the value of the series whose labels include all of `labels`. */
function sample(text: string, name: string, labels: Record<string, string>): number | null {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const [series, value] = [line.slice(0, line.lastIndexOf(' ')), line.slice(line.lastIndexOf(' ') + 1)];
    if (Object.entries(labels).every(([key, expected]) => series.includes(`${key}="${expected}"`))) return Number(value);
  }
  return null;
}

/** GET /metrics on every service of the real stack: HTTP latency per route, outbox, gate decisions, consumer lag, dead letters. */
describe('Prometheus metrics', () => {
  let registry: TestRegistry;
  let environment: TestEnvironment;
  let services: Record<'ingestion' | 'gates' | 'tracker' | 'projections', RunningService>;
  const scrape = async (service: RunningService) => {
    const response = await fetch(`${service.url}/metrics`, { headers: bearer('metrics') });
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    return response.text();
  };

  beforeAll(async () => {
    registry = await startRegistry('metrics');
    const { ingestion, gates, tracker, projections } = registry;
    environment = registry.environment;
    services = { ingestion, gates, tracker, projections };
  });

  afterAll(() => registry?.stop());

  it('times requests per route template, and counts gate decisions, outbox state and consumer lag', async () => {
    expect((await registerExampleRun(services.ingestion.url, 'metrics-model', 'train-1')).status).toBe(201);
    const decisions = await eventually(
      () => getJson(`${services.projections.url}/v1/models/metrics-model/versions/1/decisions`),
      (r) => r.body.items?.length === 1,
      { what: 'decision projected' },
    );
    const verdict = decisions.body.items[0].verdict as string;
    expect((await getJson(`${services.projections.url}/v1/models/metrics-model/versions/1`)).status).toBe(200);
    expect((await getJson(`${services.projections.url}/v1/models/metrics-model/versions/99`)).status).toBe(404);

    const ingestion = await scrape(services.ingestion);
    expect(
      sample(ingestion, 'modelreg_http_request_duration_seconds_count', {
        method: 'POST',
        route: '/v1/runs',
        status: '201',
        service: 'ingestion',
      }),
    ).toBe(1);
    expect(
      sample(ingestion, 'modelreg_http_request_duration_seconds_count', { method: 'PUT', route: '/v1/artifacts/:sha256', status: '201' }),
    ).toBe(1);
    expect(sample(ingestion, 'modelreg_outbox_depth', { outbox: 'ingestion' })).toBe(0);
    expect(sample(ingestion, 'modelreg_outbox_appended_total', { outbox: 'ingestion' })).toBeGreaterThanOrEqual(1);
    expect(sample(ingestion, 'modelreg_outbox_oldest_age_seconds', { outbox: 'ingestion' })).toBe(0);

    const gates = await scrape(services.gates);
    expect(sample(gates, 'modelreg_gate_decisions_total', { verdict, trigger: 'RunRegistered', service: 'gate-validator' })).toBe(1);
    expect(sample(gates, 'modelreg_gate_decisions_total', { verdict: verdict === 'PASSED' ? 'FAILED' : 'PASSED' })).toBeNull();

    const projections = await scrape(services.projections);
    // The concrete model name never becomes a label: requests are grouped by route template.
    expect(
      sample(projections, 'modelreg_http_request_duration_seconds_count', {
        route: '/v1/models/:modelName/versions/:version',
        status: '200',
      }),
    ).toBe(1);
    expect(
      sample(projections, 'modelreg_http_request_duration_seconds_count', {
        route: '/v1/models/:modelName/versions/:version',
        status: '404',
      }),
    ).toBe(1);
    expect(projections).not.toContain('metrics-model');
    expect(sample(projections, 'modelreg_consumer_lag_records', { topic: `${environment.id}.lineage.v1` })).toBe(0);
    expect(projections).toContain('modelreg_process_resident_memory_bytes');
  });

  it('serves every series the shipped Grafana dashboard queries', async () => {
    const dashboard = JSON.parse(readFileSync(join(REPO_ROOT, 'deploy/helm/modelreg/dashboards/modelreg.json'), 'utf8')) as {
      panels: Array<{ targets: Array<{ expr: string }> }>;
    };
    const queried = new Set(
      dashboard.panels
        .flatMap((panel) => panel.targets.flatMap((target) => target.expr.match(/modelreg_[a-z0-9_]+/g) ?? []))
        .map((name) => name.replace(/_(bucket|count|sum)$/, '')),
    );
    const served = (await Promise.all(Object.values(services).map(scrape))).join('\n');
    const missing = [...queried].filter((name) => !served.includes(`# TYPE ${name} `));
    expect(missing).toEqual([]);
    expect(queried.size).toBeGreaterThanOrEqual(10);
  });

  it('counts dead letters by kind of reason', async () => {
    const producer = testKafka('metrics-poison').producer();
    await producer.connect();
    await producer.send({
      topic: `${environment.id}.lineage.v1`,
      messages: [{ key: 'metrics-model', value: Buffer.from('not avro at all') }],
    });
    await producer.disconnect();
    await eventually(
      () => scrape(services.projections),
      (text) => sample(text, 'modelreg_dead_letters_total', { reason: 'undecodable' }) === 1,
      { what: 'the undecodable record counted' },
    );
  });
});
