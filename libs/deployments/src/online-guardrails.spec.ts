import { DEFAULT_POLICY, type CanaryGuardrail, type Deviation, type Guardrails } from '@modelreg/gates';
import { decideReport, type DeploymentFact } from './deployment-decider';
import type { DeploymentReport, Placement } from './deployment-report';
import { emptyPlacement, type DeploymentRecord, type VersionFacts } from './deployment-state';

const placement: Placement = { modelName: 'rec', service: 'feed', surface: 'home', environment: 'production' };
const JAN_27 = Date.UTC(2024, 0, 27, 9);
const canary: DeploymentRecord = {
  deploymentId: 'd3',
  placement,
  modelVersion: 3,
  status: 'CANARY',
  trafficPercent: 5,
  baselineVersion: 2,
  startedAt: JAN_27 - 2000,
  lastReportAt: JAN_27 - 1000,
};

/**
 * given the offline metrics of v3, the guardrails of its policy and (for a canary) its baseline's
 * online metrics, when v3's online metrics are reported, then these facts follow.
 */
function onlineReport(
  given: { offline?: Record<string, number>; guardrails: Partial<Guardrails>; baselineOnline?: Record<string, number> },
  online: Record<string, number>,
): DeploymentFact[] {
  const report: DeploymentReport = {
    kind: 'ONLINE_METRICS',
    reportId: 'm1',
    reportedAt: JAN_27,
    placement,
    modelVersion: 3,
    windowStart: JAN_27 - 3_600_000,
    windowEnd: JAN_27,
    metrics: online,
  };
  const decision = decideReport(report, {
    deployment: null,
    placement: { ...emptyPlacement(placement), deployments: given.baselineOnline ? [canary] : [] },
    versions: new Map<number, VersionFacts>([
      [3, { registered: true, latestVerdict: 'PASSED', placementVerdicts: [], offlineMetrics: given.offline ?? {} }],
    ]),
    online: {
      policy: {
        policyId: 'rec',
        policyVersion: 4,
        guardrails: { canary: [], offlineOnlineTolerance: {}, ...given.guardrails },
        tolerance: DEFAULT_POLICY.tolerance,
      },
      baselineOnline: new Map(given.baselineOnline ? [[2, given.baselineOnline]] : []),
      primaryEventId: 'online-1',
    },
  });
  if (!decision.accepted) throw new Error(decision.rejection.reason);
  return decision.facts.filter((fact) => fact.type !== 'OnlineMetricsReported');
}

describe('offline/online tolerance: absolute or relative per metric, either breach fires', () => {
  // A 9% drop from the offline value: 0.0558 at 0.62, 0.0405 at 0.45.
  it.each<[string, number | Deviation, number, boolean, number]>([
    ['an absolute 0.05 at 0.62', 0.05, 0.62, true, 0.05],
    ['an absolute 0.05 at 0.45', 0.05, 0.45, false, 0.05],
    ['the object form of an absolute 0.05 at 0.45', { absolute: 0.05 }, 0.45, false, 0.05],
    ['a relative 8% at 0.62', { relative: 0.08 }, 0.62, true, 0.0496],
    ['a relative 8% at 0.45', { relative: 0.08 }, 0.45, true, 0.036],
    ['a relative 10% at 0.45', { relative: 0.1 }, 0.45, false, 0.045],
    ['absolute 0.05 and relative 10% at 0.62 (the absolute breach fires)', { absolute: 0.05, relative: 0.1 }, 0.62, true, 0.05],
    ['absolute 0.05 and relative 8% at 0.45 (the relative breach fires)', { absolute: 0.05, relative: 0.08 }, 0.45, true, 0.036],
    ['absolute 0.06 and relative 10% at 0.45 (neither fires)', { absolute: 0.06, relative: 0.1 }, 0.45, false, 0.045],
  ])('a 9%% drop against %s: divergence %s', (_case, tolerance, offline, fires, allowance) => {
    const facts = onlineReport(
      { offline: { ndcg_at_20: offline }, guardrails: { offlineOnlineTolerance: { ndcg_at_20: tolerance } } },
      { ndcg_at_20: offline * 0.91 },
    );
    expect(facts.map((fact) => fact.type)).toEqual(fires ? ['OfflineOnlineDivergenceDetected'] : []);
    if (fires)
      expect(facts[0]?.data).toMatchObject({
        metric: 'ndcg_at_20',
        offlineValue: offline,
        onlineValue: offline * 0.91,
        tolerance: expect.closeTo(allowance, 12),
        policyId: 'rec',
        policyVersion: 4,
      });
  });

  it('fires on an online value above the offline one too', () => {
    expect(
      onlineReport(
        { offline: { ndcg_at_20: 0.45 }, guardrails: { offlineOnlineTolerance: { ndcg_at_20: { relative: 0.08 } } } },
        { ndcg_at_20: 0.45 * 1.09 },
      ).map((f) => f.type),
    ).toEqual(['OfflineOnlineDivergenceDetected']);
  });

  it('with an offline value of 0, a relative tolerance allows no difference', () => {
    const given = { offline: { ctr: 0 }, guardrails: { offlineOnlineTolerance: { ctr: { relative: 0.5 } } } };
    expect(onlineReport(given, { ctr: 0 })).toEqual([]);
    expect(onlineReport(given, { ctr: 0.001 }).map((f) => f.type)).toEqual(['OfflineOnlineDivergenceDetected']);
  });
});

describe('canary guardrails: regressions against the baseline, absolute or relative', () => {
  const guardrail = (g: Omit<CanaryGuardrail, 'metric'>, metric = 'ctr'): Partial<Guardrails> => ({ canary: [{ metric, ...g }] });

  it.each<[string, Partial<Guardrails>, Record<string, number>, Record<string, number>, string | null]>([
    [
      'a 4% CTR drop breaches the earlier maxRelativeDrop 3%',
      guardrail({ maxRelativeDrop: 0.03 }),
      { ctr: 0.05 },
      { ctr: 0.048 },
      'ctr drop vs baseline <= 3% of 0.05 (0.0015) (was 0.002)',
    ],
    ['a 2.9% CTR drop does not', guardrail({ maxRelativeDrop: 0.03 }), { ctr: 0.05 }, { ctr: 0.05 * 0.971 }, null],
    [
      'the same rule as maxRegression.relative',
      guardrail({ maxRegression: { relative: 0.03 } }),
      { ctr: 0.05 },
      { ctr: 0.048 },
      'ctr drop vs baseline <= 3% of 0.05 (0.0015) (was 0.002)',
    ],
    [
      'an absolute drop of 0.002 against 0.001 allowed',
      guardrail({ maxRegression: { absolute: 0.001 } }),
      { ctr: 0.05 },
      { ctr: 0.048 },
      'ctr drop vs baseline <= 0.001 (was 0.002)',
    ],
    ['a CTR rise is no regression', guardrail({ maxRegression: { absolute: 0.001 } }), { ctr: 0.05 }, { ctr: 0.07 }, null],
    [
      'latency, lower is better: a 20% rise breaches a 10% allowance',
      guardrail({ maxRegression: { relative: 0.1 }, direction: 'lower' }, 'p99_latency_ms'),
      { p99_latency_ms: 50 },
      { p99_latency_ms: 60 },
      'p99_latency_ms rise vs baseline <= 10% of 50 (5) (was 10)',
    ],
    [
      'latency, lower is better: a fall is no regression',
      guardrail({ maxRegression: { relative: 0.1 }, direction: 'lower' }, 'p99_latency_ms'),
      { p99_latency_ms: 50 },
      { p99_latency_ms: 30 },
      null,
    ],
  ])('%s', (_case, guardrails, baselineOnline, online, expected) => {
    const facts = onlineReport({ guardrails, baselineOnline }, online);
    expect(facts.map((fact) => (fact.type === 'RollbackRecommended' ? fact.data.guardrail : fact.type))).toEqual(
      expected ? [expected] : [],
    );
  });
});
