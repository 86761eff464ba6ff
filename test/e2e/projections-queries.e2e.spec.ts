import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { EventCodec, SchemaCatalog } from '@modelreg/events';
import {
  bearer,
  eventually,
  REPO_ROOT,
  startRegistry,
  type RunningService,
  type TestEnvironment,
  type TestRegistry,
} from '@modelreg/testing';
import { launchChromium, signInAsReader } from './dashboard-browser';
import { getJson, postReport, registerRun, runBody, uploadArtifact } from './registry-client';

const codec = new EventCodec(SchemaCatalog.load());
const JAN = (day: number, hour = 9) => new Date(Date.UTC(2024, 0, day, hour)).toISOString();

/** The read side on the real stack: every query, the lineage diff, the audit export and a replay. */
describe('projections: queries, diff, audit export and replay', () => {
  let registry: TestRegistry;
  let environment: TestEnvironment;
  let ingestion: RunningService;
  let tracker: RunningService;
  let projections: RunningService;
  const fraud = { modelName: 'fraud-model', service: 'scoring', surface: 'checkout', environment: 'production' };

  const report = async (body: Record<string, unknown>) => (await postReport(tracker.url, body)).status;
  const query = (path: string) => getJson(`${projections.url}${path}`);

  beforeAll(async () => {
    registry = await startRegistry('projections');
    ({ environment, ingestion, tracker, projections } = registry);
    const artifacts = { server: await uploadArtifact(ingestion.url, 8192), mobile: await uploadArtifact(ingestion.url, 2048) };
    expect((await registerRun(ingestion.url, runBody('fraud-model', 'train-126', artifacts, { auc: 0.912 }))).status).toBe(201);
    const candidate = runBody('fraud-model', 'train-127', artifacts, { auc: 0.9191 });
    candidate['code'] = { ...candidate['code'], commit: 'a81b3c0' };
    candidate['hyperparameters'] = { ...candidate['hyperparameters'], learning_rate: 0.0005 };
    candidate['environment'] = {
      ...candidate['environment'],
      gpuDriver: '545.23.08',
      packages: [
        { name: 'torch', version: '2.2.0' },
        { name: 'numpy', version: '1.26.3' },
      ],
    };
    expect((await registerRun(ingestion.url, candidate)).status).toBe(201);
    await eventually(
      () => query('/v1/models/fraud-model/versions/2/decisions'),
      (r) => r.body.items?.length === 1,
      { what: 'v2 decision projected' },
    );
    await eventually(
      () =>
        report({
          kind: 'CANARY_STARTED',
          reportId: `c1-${Date.now()}`,
          reportedAt: JAN(19),
          deploymentId: 'd1',
          ...fraud,
          modelVersion: 1,
          trafficPercent: 10,
        }),
      (status) => status === 201,
      { what: 'canary of v1' },
    );
    expect(await report({ kind: 'ROLLOUT_COMPLETED', reportId: 'r1', reportedAt: JAN(20), deploymentId: 'd1' })).toBe(201);
    await eventually(
      () =>
        report({
          kind: 'CANARY_STARTED',
          reportId: `c2-${Date.now()}`,
          reportedAt: JAN(26),
          deploymentId: 'd2',
          ...fraud,
          modelVersion: 2,
          trafficPercent: 5,
        }),
      (status) => status === 201,
      { what: 'canary of v2' },
    );
    expect(
      await report({
        kind: 'ONLINE_METRICS',
        reportId: 'm2',
        reportedAt: JAN(27),
        ...fraud,
        modelVersion: 2,
        windowStart: JAN(26),
        windowEnd: JAN(27),
        metrics: { p99_latency_ms: 58, ctr: 0.051 },
      }),
    ).toBe(201);
    expect(
      await report({
        kind: 'AB_TEST_CONCLUDED',
        reportId: 'ab1',
        reportedAt: JAN(27, 10),
        testId: 'ab-1-vs-2',
        ...fraud,
        controlVersion: 1,
        treatmentVersion: 2,
        decision: 'INCONCLUSIVE',
        results: [
          {
            metric: 'ctr',
            controlValue: 0.05,
            treatmentValue: 0.051,
            relativeLift: 0.02,
            confidenceLow: -0.01,
            confidenceHigh: 0.05,
            controlSamples: 50000,
            treatmentSamples: 2600,
          },
        ],
      }),
    ).toBe(201);
    await eventually(
      () => query('/v1/models/fraud-model/versions/2/online'),
      (r) => r.body.abTests?.length === 1,
      { what: 'online results projected' },
    );
  });

  afterAll(() => registry?.stop());

  it('answers the training history, decisions, currently deployed, timeline and online results', async () => {
    const history = (await query('/v1/models/fraud-model/history')).body.items;
    expect(history.map((v: any) => [v.modelVersion, v.metrics.auc, v.verdict])).toEqual([
      [1, 0.912, 'PASSED'],
      [2, 0.9191, 'PASSED'],
    ]);
    const [decision] = (await query('/v1/models/fraud-model/versions/2/decisions')).body.items;
    expect(decision).toMatchObject({ verdict: 'PASSED', baselineVersion: 1, policy: { policyId: 'default', policyVersion: 1 } });
    expect(decision.checks[0]).toMatchObject({ checkId: 'auc-improvement', observed: 0.9191, baseline: 0.912 });
    expect((await query('/v1/deployed?modelName=fraud-model')).body.items).toEqual([
      expect.objectContaining({
        service: 'scoring',
        surface: 'checkout',
        servingVersion: 1,
        servingSince: JAN(20),
        canaries: [expect.objectContaining({ deploymentId: 'd2', modelVersion: 2, trafficPercent: 5, baselineVersion: 1 })],
      }),
    ]);
    const timeline = (await query('/v1/models/fraud-model/timeline')).body.items
      .map((e: any) => e.eventType)
      .filter((type: string) => type !== 'DeploymentReportRejected' && type !== 'ModelPromoted');
    expect(timeline).toEqual(['CanaryStarted', 'RolloutCompleted', 'CanaryStarted', 'OnlineMetricsReported', 'AbTestConcluded']);
    const online = (await query('/v1/models/fraud-model/versions/2/online')).body;
    expect(online.onlineMetrics).toEqual([expect.objectContaining({ surface: 'checkout', metrics: { p99_latency_ms: 58, ctr: 0.051 } })]);
    expect(online.abTests).toEqual([
      expect.objectContaining({ testId: 'ab-1-vs-2', controlVersion: 1, treatmentVersion: 2, decision: 'INCONCLUSIVE' }),
    ]);
  });

  it('finds the versions that used a snapshot, feature, commit or environment, and which are deployed', async () => {
    const bySnapshot = (await query('/v1/impact?dataSnapshot=txn-2024-01-24')).body.items;
    expect(bySnapshot.map((v: any) => [v.modelVersion, v.isDeployed, v.deployedNow.map((d: any) => d.role)])).toEqual([
      [1, true, ['serving']],
      [2, true, ['canary']],
    ]);
    expect((await query('/v1/impact?commit=a81b3c0')).body.items.map((v: any) => v.modelVersion)).toEqual([2]);
    expect((await query('/v1/impact?feature=txn_amount_zscore@3')).body.items).toHaveLength(2);
    const v2 = (await query('/v1/models/fraud-model/versions/2')).body;
    // JSON in is JSON out: plain hyperparameters with their types beside them, ISO 8601 times.
    expect(v2.hyperparameters).toMatchObject({ learning_rate: 0.0005, batch_size: 2048, optimizer: 'adam', dropout: 0 });
    expect(v2.hyperparameterTypes).toMatchObject({ learning_rate: 'double', batch_size: 'long', optimizer: 'string', dropout: 'double' });
    expect(v2.dataSnapshots[0]).toMatchObject({ coveredFrom: '2024-01-10T00:00:00.000Z', coveredTo: '2024-01-24T00:00:00.000Z' });
    expect(v2.registeredAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
    expect((await query(`/v1/impact?environment=${v2.environment.fingerprint}`)).body.items.map((v: any) => v.modelVersion)).toEqual([2]);
    expect((await query('/v1/impact?commit=a81b3c0&dataSnapshot=x')).status).toBe(400);
  });

  it('diffs the candidate against its baseline down to packages and drivers', async () => {
    const diff = (await query('/v1/models/fraud-model/diff?version=2&against=1')).body;
    expect(diff).toMatchObject({
      fromVersion: 1,
      toVersion: 2,
      identicalLineage: false,
      code: [{ field: 'commit', from: 'f3a9c21e', to: 'a81b3c0' }],
    });
    expect(diff.hyperparameters).toEqual([{ field: 'learning_rate', from: 0.001, to: 0.0005, fromType: 'double', toType: 'double' }]);
    expect(diff.environment.fields).toEqual(
      expect.arrayContaining([
        { field: 'gpuDriver', from: '535.104.05', to: '545.23.08' },
        expect.objectContaining({ field: 'fingerprint' }),
      ]),
    );
    expect(diff.environment.packages.changed).toEqual([{ key: 'pypi:torch', changes: [{ field: 'version', from: '2.1.2', to: '2.2.0' }] }]);
    expect(diff.metrics.overall).toContainEqual({ metric: 'auc', from: 0.912, to: 0.9191, delta: expect.closeTo(0.0071, 9) });
    expect((await query('/v1/models/fraud-model/diff?version=2&against=2')).body).toMatchObject({ field: 'against' });
    const cli = spawnSync(process.execPath, [join(REPO_ROOT, 'tools/cli/modelreg.js'), 'diff', 'fraud-model', '2', '1'], {
      encoding: 'utf8',
      env: { ...process.env, MODELREG_PROJECTIONS_URL: projections.url, MODELREG_TOKEN: bearer().authorization.slice('Bearer '.length) },
    });
    expect(cli.status).toBe(0);
    expect(cli.stdout).toContain('fraud-model: v1 -> v2');
    expect(cli.stdout).toContain('  commit: f3a9c21e -> a81b3c0');
    expect(cli.stdout).toContain('  gpuDriver: 535.104.05 -> 545.23.08');
    expect((await query('/v1/models/%2e%2e%2f/diff?version=2&against=1')).status).toBe(400);
  });

  it('prints how to reproduce a version, as a recipe and as JSON (modelreg reproduce)', () => {
    const modelreg = (...args: string[]) =>
      spawnSync(process.execPath, [join(REPO_ROOT, 'tools/cli/modelreg.js'), ...args], {
        encoding: 'utf8',
        env: { ...process.env, MODELREG_PROJECTIONS_URL: projections.url, MODELREG_TOKEN: bearer().authorization.slice('Bearer '.length) },
      });
    const recipe = modelreg('reproduce', 'fraud-model', '2');
    expect(recipe.status).toBe(0);
    expect(recipe.stdout).toContain('# Reproduce fraud-model v2 (training run train-127)');
    expect(recipe.stdout).toMatch(/git checkout a81b3c0/);
    expect(recipe.stdout).toContain('learning_rate = 0.0005 (double)');
    expect(recipe.stdout).toContain('pip install');
    const manifest = JSON.parse(modelreg('reproduce', 'fraud-model', '2', '--json').stdout);
    expect(manifest).toMatchObject({
      modelName: 'fraud-model',
      modelVersion: 2,
      code: { commit: 'a81b3c0' },
      environment: { gpu: { driver: '545.23.08' } },
    });
    expect(manifest.expectedArtifacts).toHaveLength(2);
    const missing = modelreg('reproduce', 'fraud-model', '99');
    expect([missing.status, missing.stdout]).toEqual([1, expect.stringContaining('no manifest (404)')]);
  });

  it('exports the provenance of a version from the log, in order, with raw Avro on request', async () => {
    const response = await fetch(`${projections.url}/v1/models/fraud-model/versions/2/audit?raw=true`, { headers: bearer('auditor') });
    expect(response.headers.get('content-type')).toMatch(/application\/x-ndjson/);
    const lines = (await response.text())
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(
      lines.map((line) => line.eventType).filter((type: string) => type !== 'ModelPromoted' && type !== 'DeploymentReportRejected'),
    ).toEqual(['RunRegistered', 'GateEvaluated', 'CanaryStarted', 'OnlineMetricsReported', 'AbTestConcluded']);
    for (const line of lines) {
      expect(line).toMatchObject({
        topic: expect.stringContaining(environment.id),
        partition: expect.any(Number),
        offset: expect.stringMatching(/^\d+$/),
        eventId: expect.any(String),
      });
      const raw = codec.decode(Buffer.from(line.rawAvroBase64, 'base64'));
      expect(raw.data.envelope.eventId).toBe(line.eventId);
      expect(line.event.envelope.eventId).toBe(line.eventId);
    }
    expect(lines[0].event).toMatchObject({ modelName: 'fraud-model', modelVersion: 2, code: { commit: 'a81b3c0' } });
  });

  it('replays every projection from offset 0 into fresh tables, switches atomically, and rebuilds the identical state', async () => {
    const before = {
      history: (await query('/v1/models/fraud-model/history')).body,
      deployed: (await query('/v1/deployed')).body,
      timeline: (await query('/v1/models/fraud-model/timeline')).body,
    };
    const started = await fetch(`${projections.url}/v1/replay`, {
      method: 'POST',
      headers: { ...bearer('auditor'), 'content-type': 'application/json' },
    });
    expect(started.status).toBe(202);
    expect(
      (
        await fetch(`${projections.url}/v1/replay`, {
          method: 'POST',
          headers: { ...bearer('auditor'), 'content-type': 'application/json' },
        })
      ).status,
    ).toBe(409);
    const statuses: number[] = [];
    const done = await eventually(
      async () => {
        statuses.push((await fetch(`${projections.url}/v1/models/fraud-model/history`, { headers: bearer('reader') })).status);
        return (await query('/v1/replay')).body;
      },
      (status) => status.state === 'done' || status.state === 'failed',
      { timeoutMs: 90_000, intervalMs: 100, what: 'replay done' },
    );
    expect(done.state).toBe('done');
    expect(statuses.every((status) => status === 200)).toBe(true);
    expect(done.eventsApplied).toBeGreaterThan(5);
    for (const [table, checksum] of Object.entries(done.checksums as Record<string, { equal: boolean; live: { rows: number } }>)) {
      expect([table, checksum.equal]).toEqual([table, true]);
    }
    expect((done.checksums as any).model_versions.live.rows).toBe(2);
    expect({
      history: (await query('/v1/models/fraud-model/history')).body,
      deployed: (await query('/v1/deployed')).body,
      timeline: (await query('/v1/models/fraud-model/timeline')).body,
    }).toEqual(before);
    // modelreg replay does the same from the command line and reports the comparison.
    const cli = spawnSync(process.execPath, [join(REPO_ROOT, 'tools/cli/modelreg.js'), 'replay', '--yes'], {
      encoding: 'utf8',
      env: { ...process.env, MODELREG_PROJECTIONS_URL: projections.url, MODELREG_TOKEN: bearer().authorization.slice('Bearer '.length) },
    });
    expect(cli.status).toBe(0);
    expect(cli.stdout).toMatch(/switched over: \d+ events in/);
    expect(cli.stdout).toMatch(/model_versions\s+2 rows {2}identical/);
    // The live consumer runs again after the switch: a new event still arrives.
    expect(
      await report({ kind: 'CANARY_TRAFFIC_CHANGED', reportId: 't2', reportedAt: JAN(28), deploymentId: 'd2', trafficPercent: 25 }),
    ).toBe(201);
    await eventually(
      () => query('/v1/deployed?modelName=fraud-model'),
      (r) => r.body.items[0]?.canaries[0]?.trafficPercent === 25,
      { what: 'traffic change projected after the replay' },
    );
  });

  it('shows the dashboard in a real browser: models, history chart, deployments, and a version with its checks', async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await signInAsReader(page);
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      await page.goto(`${projections.url}/`);
      await page.getByTestId('model-link').filter({ hasText: 'fraud-model' }).click();
      await page.getByTestId('model-title').filter({ hasText: 'fraud-model' }).waitFor();
      expect(await page.getByTestId('history-chart').getAttribute('data-points')).toBe('2');
      expect(await page.getByTestId('history-chart').getAttribute('data-metric')).toBe('auc');
      const deployed = await page.getByTestId('deployed-table').innerText();
      expect(deployed).toMatch(/scoring\s+checkout\s+v1/);
      expect(deployed).toContain('v2 at 25%'); // traffic raised by the replay test above
      expect(await page.getByTestId('timeline-table').innerText()).toContain('RolloutCompleted');

      await page.getByTestId('version-link').filter({ hasText: 'v2' }).click();
      await page.getByTestId('version-title').filter({ hasText: 'fraud-model v2' }).waitFor();
      expect(await page.getByTestId('verdict').first().innerText()).toBe('PASSED');
      const checks = await page.getByTestId('checks-table').first().innerText();
      expect(checks).toMatch(/auc-improvement\s+0\.9191\s+0\.912/);
      expect(checks).toContain('precision-parity');
      expect(await page.getByTestId('lineage-table').innerText()).toContain('a81b3c0');
      expect(await page.getByTestId('ab-table').innerText()).toContain('ab-1-vs-2');
      expect(await page.getByTestId('online-table').innerText()).toContain('p99_latency_ms 58');
      await page.screenshot({ path: join(REPO_ROOT, '.local/dashboard-version.png'), fullPage: true });
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
