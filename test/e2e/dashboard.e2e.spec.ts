import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { bearer, eventually, REPO_ROOT, startRegistry, type RunningService, type TestRegistry } from '@modelreg/testing';
import { launchChromium } from './dashboard-browser';
import { getJson, postReport, registerRun, runBody, uploadArtifact } from './registry-client';

const AT = (day: number, minute = 0) => new Date(Date.UTC(2024, 1, day, 9, minute)).toISOString();
const SCREENSHOTS = join(REPO_ROOT, '.local/test-artifacts/dashboard');
const TRAFFIC_STEPS = 30;
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core in the page; answers the serious and critical violations with the elements at fault. */
async function seriousAccessibilityViolations(page: Page): Promise<Array<{ id: string; impact: string; targets: string[] }>> {
  // Evaluated through the DevTools protocol, so the page's own CSP (script-src 'self') stays in force.
  await page.evaluate(AXE_SOURCE);
  type AxeResults = { violations: Array<{ id: string; impact: string; nodes: Array<{ target: string[] }> }> };
  // Runs in the browser, where axe and document exist (this file is compiled without DOM types).
  const results = await page.evaluate(async () => {
    const browser = globalThis as unknown as { axe: { run: (context: unknown) => Promise<AxeResults> }; document: unknown };
    return browser.axe.run(browser.document);
  });
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => ({ id: violation.id, impact: violation.impact, targets: violation.nodes.map((node) => node.target.join(' ')) }));
}

/** The dashboard and the queries behind it: overview, timeline newest first with paging and filters, slices, A/B, diff, 404. */
describe('dashboard v2 on the real stack', () => {
  let registry: TestRegistry;
  let ingestion: RunningService;
  let tracker: RunningService;
  let projections: RunningService;
  const where = { modelName: 'fraud-model', service: 'scoring', surface: 'checkout', environment: 'production' };
  const report = async (body: Record<string, unknown>) => (await postReport(tracker.url, body)).status;
  const query = (path: string) => getJson(`${projections.url}${path}`);

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    registry = await startRegistry('dashboard');
    ({ ingestion, tracker, projections } = registry);
    const artifacts = { server: await uploadArtifact(ingestion.url, 4096), mobile: await uploadArtifact(ingestion.url, 2048) };
    for (const [run, auc] of [
      ['train-1', 0.9],
      ['train-2', 0.91],
      ['train-3', 0.85],
    ] as const) {
      const body = runBody('fraud-model', run, artifacts, { auc });
      if (run === 'train-2') body['code'] = { ...body['code'], commit: 'b7e41d9' };
      expect((await registerRun(ingestion.url, body)).status).toBe(201);
    }
    await eventually(
      () => query('/v1/models/fraud-model/versions/3/decisions'),
      (r) => r.body.items?.length === 1,
      { what: 'v3 decision projected' },
    );
    await eventually(
      () =>
        report({
          kind: 'CANARY_STARTED',
          reportId: 'c1',
          reportedAt: AT(1),
          deploymentId: 'd1',
          ...where,
          modelVersion: 1,
          trafficPercent: 10,
        }),
      (s) => s === 201,
      { what: 'canary of v1' },
    );
    expect(await report({ kind: 'ROLLOUT_COMPLETED', reportId: 'r1', reportedAt: AT(2), deploymentId: 'd1' })).toBe(201);
    expect(
      await report({
        kind: 'CANARY_STARTED',
        reportId: 'c2',
        reportedAt: AT(3),
        deploymentId: 'd2',
        ...where,
        modelVersion: 2,
        trafficPercent: 1,
      }),
    ).toBe(201);
    for (let step = 1; step <= TRAFFIC_STEPS; step += 1) {
      expect(
        await report({
          kind: 'CANARY_TRAFFIC_CHANGED',
          reportId: `t${step}`,
          reportedAt: AT(3, step),
          deploymentId: 'd2',
          trafficPercent: 1 + step,
        }),
      ).toBe(201);
    }
    expect(
      await report({
        kind: 'ONLINE_METRICS',
        reportId: 'm2',
        reportedAt: AT(4),
        ...where,
        modelVersion: 2,
        windowStart: AT(3),
        windowEnd: AT(4),
        metrics: { p99_latency_ms: 61, ctr: 0.049 },
      }),
    ).toBe(201);
    expect(
      await report({
        kind: 'AB_TEST_CONCLUDED',
        reportId: 'ab',
        reportedAt: AT(4, 30),
        testId: 'ab-1-vs-2',
        ...where,
        controlVersion: 1,
        treatmentVersion: 2,
        decision: 'KEEP_CONTROL',
        results: [
          {
            metric: 'ctr',
            controlValue: 0.05,
            treatmentValue: 0.049,
            relativeLift: -0.02,
            confidenceLow: -0.035,
            confidenceHigh: -0.005,
            controlSamples: 90000,
            treatmentSamples: 30000,
          },
        ],
      }),
    ).toBe(201);
    expect(
      await report({
        kind: 'ROLLED_BACK',
        reportId: 'rb2',
        reportedAt: AT(5),
        deploymentId: 'd2',
        toVersion: 1,
        reason: 'ctr below control in the A/B test',
        triggerMetric: 'ctr',
        triggerValue: 0.049,
      }),
    ).toBe(201);
    // A canary of the failed v3 is refused and recorded.
    expect(
      await report({
        kind: 'CANARY_STARTED',
        reportId: 'c3',
        reportedAt: AT(6),
        deploymentId: 'd3',
        ...where,
        modelVersion: 3,
        trafficPercent: 5,
      }),
    ).toBe(409);
    await eventually(
      () => query('/v1/models/fraud-model/timeline?eventType=DeploymentReportRejected'),
      (r) => r.body.total === 1,
      { what: 'refusal projected' },
    );
  });

  afterAll(() => registry?.stop());

  it('pages the timeline newest first, filters it by event type and hides refusals on request', async () => {
    const newest = (await query('/v1/models/fraud-model/timeline?order=desc&limit=5&includeRejected=false')).body;
    expect(newest.items.map((e: any) => e.eventType)).toEqual([
      'RolledBack',
      'AbTestConcluded',
      'OnlineMetricsReported',
      'CanaryTrafficChanged',
      'CanaryTrafficChanged',
    ]);
    const all = (await query('/v1/models/fraud-model/timeline?limit=500')).body;
    expect(newest.total).toBe(all.total - 1);
    const second = (await query('/v1/models/fraud-model/timeline?order=desc&limit=5&offset=5&includeRejected=false')).body;
    expect(second.items[0].details.toPercent).toBe(1 + TRAFFIC_STEPS - 2);
    const rollbacks = (await query('/v1/models/fraud-model/timeline?eventType=RolledBack,RolloutCompleted')).body;
    expect(rollbacks.items.map((e: any) => e.eventType)).toEqual(['RolloutCompleted', 'RolledBack']);
    expect((await query('/v1/models/fraud-model/timeline?eventType=Nope')).body).toMatchObject({ field: 'eventType' });
    expect(all.eventTypes).toEqual(expect.arrayContaining(['RolledBack', 'DeploymentReportRejected']));
    expect(all.eventTypes).not.toContain('RunRegistered');
    expect((await query('/v1/models/fraud-model/timeline?order=sideways')).status).toBe(400);
  });

  it('answers the overview: what serves where, recent gate failures, rollbacks and activity, newest first', async () => {
    const overview = (await query('/v1/overview?limit=5')).body;
    expect(overview.deployed).toEqual([
      expect.objectContaining({ modelName: 'fraud-model', service: 'scoring', surface: 'checkout', servingVersion: 1, canaries: [] }),
    ]);
    expect(overview.recentGateFailures).toEqual([
      expect.objectContaining({ modelName: 'fraud-model', modelVersion: 3, failedChecks: expect.arrayContaining(['auc-improvement']) }),
    ]);
    expect(overview.recentRollbacks).toEqual([
      expect.objectContaining({
        modelName: 'fraud-model',
        details: expect.objectContaining({ reason: 'ctr below control in the A/B test' }),
      }),
    ]);
    expect(overview.recentActivity).toHaveLength(5);
    const recorded = overview.recentActivity.map((a: any) => Date.parse(a.loggedAt));
    expect([...recorded].sort((a, b) => b - a)).toEqual(recorded);
    expect((await query('/v1/overview?limit=0')).body).toMatchObject({ field: 'limit' });
  });

  it(
    'shows every page in a real browser, with charts, paging, filters, a diff, a 404, ' + 'and no serious accessibility violation',
    async () => {
      const browser = await launchChromium();
      try {
        const page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
        const errors: string[] = [];
        page.on('pageerror', (error) => errors.push(error.message));
        page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));

        // Without a token the page asks for one; the reader token, pasted once, is kept for the tab.
        await page.goto(`${projections.url}/dashboard`);
        await page.getByTestId('sign-in').waitFor();
        await page.getByLabel('Access token (reader role)').fill(bearer('reader').authorization.slice('Bearer '.length));
        await page.getByRole('button', { name: 'Use this token' }).click();
        await page.getByTestId('overview-title').waitFor();
        expect(await page.getByTestId('overview-deployed').innerText()).toMatch(/production\s+scoring\s+checkout\s+fraud-model\s+v1/);
        expect(await page.getByTestId('overview-failures').innerText()).toMatch(/fraud-model v3\s+auc-improvement/);
        expect(await page.getByTestId('overview-rollbacks').innerText()).toContain('v2 → v1');
        expect(await page.getByTestId('count-models').innerText()).toBe('1');
        expect(await seriousAccessibilityViolations(page)).toEqual([]);
        await page.screenshot({ path: join(SCREENSHOTS, 'overview.png'), fullPage: true });

        await page.getByTestId('model-link').filter({ hasText: 'fraud-model' }).click();
        await page.getByTestId('model-title').waitFor();
        const chart = page.getByTestId('history-chart');
        expect(await chart.getAttribute('data-labels')).toBe(JSON.stringify(['v1', 'v2', 'v3']));
        expect(await chart.getAttribute('data-metric')).toBe('auc');
        expect(
          await chart.evaluate(
            (canvas) =>
              (canvas as unknown as { width: number; height: number }).width > 0 && (canvas as unknown as { height: number }).height > 0,
          ),
        ).toBe(true);
        const timeline = page.getByTestId('timeline-table');
        expect(await timeline.locator('tbody tr').first().innerText()).toContain('RolledBack');
        expect(await timeline.innerText()).not.toContain('DeploymentReportRejected');
        expect(await page.getByTestId('timeline-page').innerText()).toMatch(/page 1 of 2/);
        await page.getByRole('button', { name: 'Older' }).click();
        await page.getByTestId('timeline-page').filter({ hasText: 'page 2 of 2' }).waitFor();
        await page.getByLabel('show refused reports').check();
        await page.getByTestId('timeline-page').filter({ hasText: 'page 1 of 2' }).waitFor();
        expect(await page.getByTestId('timeline-table').innerText()).toContain('DeploymentReportRejected');
        await page.getByLabel('Event').selectOption('RolledBack');
        await page.getByTestId('timeline-page').filter({ hasText: '(1 events)' }).waitFor();
        expect(await page.getByTestId('timeline-table').innerText()).toContain('ctr below control in the A/B test');
        expect(await seriousAccessibilityViolations(page)).toEqual([]);
        await page.screenshot({ path: join(SCREENSHOTS, 'model.png'), fullPage: true });

        await page.getByTestId('version-link').filter({ hasText: 'v2' }).click();
        await page.getByTestId('version-title').filter({ hasText: 'fraud-model v2' }).waitFor();
        expect(await page.getByTestId('slice-chart').getAttribute('data-labels')).toBe(
          JSON.stringify(['country=US', 'country=GB', 'country=DE', 'country=FR', 'country=IN', 'country=BR']),
        );
        expect(await page.getByTestId('slices-table').innerText()).toMatch(/country=US\s+30%/);
        expect(await page.getByTestId('slices-table').innerText()).toContain('(v1: 0.9)');
        expect(await page.getByTestId('ab-chart').getAttribute('data-lifts')).toBe('[-2]');
        expect(await page.getByTestId('online-table').innerText()).toContain('p99_latency_ms 61');
        expect(await page.getByTestId('audit-link').getAttribute('href')).toBe('/v1/models/fraud-model/versions/2/audit');
        expect(await seriousAccessibilityViolations(page)).toEqual([]);
        await page.screenshot({ path: join(SCREENSHOTS, 'version.png'), fullPage: true });

        await page.getByTestId('diff-baseline-link').click();
        await page.getByTestId('diff-title').filter({ hasText: 'v1 → v2' }).waitFor();
        expect(await page.getByTestId('diff-code').innerText()).toMatch(/commit\s+\S+\s+b7e41d9/);
        expect(await page.getByTestId('diff-metrics').innerText()).toMatch(/auc\s+0\.9\s+0\.91\s+\+0\.01/);
        expect(await seriousAccessibilityViolations(page)).toEqual([]);
        await page.screenshot({ path: join(SCREENSHOTS, 'diff.png'), fullPage: true });

        await page.goto(`${projections.url}/dashboard#/models/no-such-model`);
        await page.getByTestId('not-found').waitFor();
        expect(await page.getByTestId('not-found').innerText()).toContain('No model named “no-such-model” is registered.');
        await page.goto(`${projections.url}/dashboard#/models/fraud-model/versions/99`);
        await page.getByTestId('not-found').filter({ hasText: 'fraud-model v99 is not registered' }).waitFor();
        await page.goto(`${projections.url}/dashboard#/nowhere`);
        await page.getByTestId('not-found').filter({ hasText: 'There is no page at #/nowhere.' }).waitFor();
        expect(await seriousAccessibilityViolations(page)).toEqual([]);
        await page.screenshot({ path: join(SCREENSHOTS, 'not-found.png'), fullPage: true });
        // The 404s above are the API answering the page's own lookups, not errors of the page.
        expect(errors.filter((error) => !/404/.test(error))).toEqual([]);
      } finally {
        await browser.close();
      }
    },
  );
});
