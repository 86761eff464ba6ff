import { DEFAULT_POLICY } from '@modelreg/gates';
import { decideReport, type DeploymentFact, type ReportContext, type ReportDecision } from './deployment-decider';
import type { DeploymentReport, Placement } from './deployment-report';
import { emptyPlacement, type PlacementState, type VersionFacts } from './deployment-state';
import { evolvePlacement, isPlacementEvent } from './placement-fold';

const fraud: Placement = { modelName: 'fraud-model', service: 'scoring', surface: 'checkout', environment: 'production' };
const JAN_26 = Date.UTC(2024, 0, 26, 10);
const JAN_27 = Date.UTC(2024, 0, 27, 9);
const passed: VersionFacts = {
  registered: true,
  latestVerdict: 'PASSED',
  placementVerdicts: [],
  offlineMetrics: { precision_at_10: 0.85, auc: 0.92 },
};
const failed: VersionFacts = { ...passed, latestVerdict: 'FAILED' };

/** given: the state after some facts; when: a report; then: the decision. */
class Scenario {
  placement: PlacementState = emptyPlacement(fraud);
  versions = new Map<number, VersionFacts>([
    [126, passed],
    [127, passed],
    [128, failed],
  ]);
  baselineOnline = new Map<number, Record<string, number>>();

  apply(facts: DeploymentFact[]): this {
    for (const fact of facts) if (isPlacementEvent(fact)) this.placement = evolvePlacement(this.placement, fact);
    return this;
  }

  /** v126 has been serving 100% since Jan 20. */
  withServing126(): this {
    const started = this.decide({
      kind: 'CANARY_STARTED',
      reportId: 'r0',
      reportedAt: Date.UTC(2024, 0, 19),
      deploymentId: 'd126',
      placement: fraud,
      modelVersion: 126,
      trafficPercent: 10,
      baselineVersion: null,
    });
    this.apply(accepted(started));
    return this.apply(
      accepted(this.decide({ kind: 'ROLLOUT_COMPLETED', reportId: 'r0b', reportedAt: Date.UTC(2024, 0, 20), deploymentId: 'd126' })),
    );
  }

  decide(report: DeploymentReport): ReportDecision {
    const id = 'deploymentId' in report ? report.deploymentId : null;
    const context: ReportContext = {
      deployment: this.placement.deployments.find((record) => record.deploymentId === id) ?? null,
      placement: this.placement,
      versions: this.versions,
      online: {
        policy: { policyId: 'default', policyVersion: 1, guardrails: DEFAULT_POLICY.guardrails, tolerance: DEFAULT_POLICY.tolerance },
        baselineOnline: this.baselineOnline,
        primaryEventId: 'online-1',
      },
    };
    return decideReport(report, context);
  }
}

function accepted(decision: ReportDecision): DeploymentFact[] {
  if (!decision.accepted) throw new Error(`expected acceptance, got ${decision.rejection.rule}: ${decision.rejection.reason}`);
  return decision.facts;
}
const rule = (decision: ReportDecision) => (decision.accepted ? 'accepted' : decision.rejection.rule);
const canary127 = (overrides: Partial<Extract<DeploymentReport, { kind: 'CANARY_STARTED' }>> = {}): DeploymentReport => ({
  kind: 'CANARY_STARTED',
  reportId: 'r1',
  reportedAt: JAN_26,
  deploymentId: 'd127',
  placement: fraud,
  modelVersion: 127,
  trafficPercent: 5,
  baselineVersion: null,
  ...overrides,
});

describe('deployment rules', () => {
  it('starts a canary for a version whose latest gate passed, against the serving version as baseline', () => {
    const scenario = new Scenario().withServing126();
    const facts = accepted(scenario.decide(canary127()));
    expect(facts).toEqual([
      {
        type: 'CanaryStarted',
        data: { deploymentId: 'd127', ...fraud, modelVersion: 127, trafficPercent: 5, baselineVersion: 126, startedAt: JAN_26 },
      },
    ]);
  });

  it.each([
    ['a version whose gate failed', canary127({ modelVersion: 128, deploymentId: 'd128' }), 'gate-not-passed'],
    ['an unknown version', canary127({ modelVersion: 999, deploymentId: 'd999' }), 'unknown-version'],
    ['a canary at 100%', canary127({ trafficPercent: 100 }), 'canary-at-full-traffic'],
    ['the version already serving', canary127({ modelVersion: 126, deploymentId: 'again' }), 'already-serving'],
    ['a deployment id in use', canary127({ deploymentId: 'd126' }), 'duplicate-deployment'],
  ])('refuses a canary of %s', (_case, report, expected) => {
    expect(rule(new Scenario().withServing126().decide(report))).toBe(expected);
  });

  it('completes a rollout only from a running canary, and then exactly one version serves', () => {
    const scenario = new Scenario().withServing126();
    scenario.apply(accepted(scenario.decide(canary127())));
    const rollout = accepted(scenario.decide({ kind: 'ROLLOUT_COMPLETED', reportId: 'r2', reportedAt: JAN_27, deploymentId: 'd127' }));
    expect(rollout[0]).toMatchObject({ type: 'RolloutCompleted', data: { modelVersion: 127, previousVersion: 126 } });
    scenario.apply(rollout);
    expect(scenario.placement).toMatchObject({ servingVersion: 127, servingDeploymentId: 'd127', servedVersions: [126, 127] });
    expect(rule(scenario.decide({ kind: 'ROLLOUT_COMPLETED', reportId: 'r3', reportedAt: JAN_27 + 1, deploymentId: 'd127' }))).toBe(
      'not-a-running-canary',
    );
  });

  it('rolls back to a version that served before and restores it as serving', () => {
    const scenario = new Scenario().withServing126();
    scenario.apply(accepted(scenario.decide(canary127())));
    const rollback = accepted(
      scenario.decide({
        kind: 'ROLLED_BACK',
        reportId: 'r2',
        reportedAt: JAN_27,
        deploymentId: 'd127',
        toVersion: 126,
        reason: 'p99 latency spike',
        triggerMetric: 'p99_latency_ms',
        triggerValue: 180,
      }),
    );
    expect(rollback).toEqual([
      {
        type: 'RolledBack',
        data: {
          deploymentId: 'd127',
          ...fraud,
          fromVersion: 127,
          toVersion: 126,
          reason: 'p99 latency spike',
          triggerMetric: 'p99_latency_ms',
          triggerValue: 180,
          rolledBackAt: JAN_27,
        },
      },
    ]);
    scenario.apply(rollback);
    expect(scenario.placement.servingVersion).toBe(126);
    expect(scenario.placement.deployments.find((d) => d.deploymentId === 'd127')?.status).toBe('ROLLED_BACK');
  });

  it('refuses a rollback to a version that never served the surface', () => {
    const scenario = new Scenario().withServing126();
    scenario.apply(accepted(scenario.decide(canary127())));
    expect(
      rule(
        scenario.decide({
          kind: 'ROLLED_BACK',
          reportId: 'r2',
          reportedAt: JAN_27,
          deploymentId: 'd127',
          toVersion: 125,
          reason: 'x',
          triggerMetric: null,
          triggerValue: null,
        }),
      ),
    ).toBe('not-served-before');
  });

  it('rejects a contradictory report: the rollout of a rolled-back canary', () => {
    const scenario = new Scenario().withServing126();
    scenario.apply(accepted(scenario.decide(canary127())));
    scenario.apply(
      accepted(
        scenario.decide({
          kind: 'ROLLED_BACK',
          reportId: 'r2',
          reportedAt: JAN_27,
          deploymentId: 'd127',
          toVersion: 126,
          reason: 'x',
          triggerMetric: null,
          triggerValue: null,
        }),
      ),
    );
    const decision = scenario.decide({ kind: 'ROLLOUT_COMPLETED', reportId: 'r3', reportedAt: JAN_27 + 1000, deploymentId: 'd127' });
    expect(decision).toEqual({
      accepted: false,
      rejection: { rule: 'not-a-running-canary', reason: 'a rollout completes only from a running canary; deployment d127 is ROLLED_BACK' },
    });
  });

  it('rejects an out-of-order report and any report about a retired deployment', () => {
    const scenario = new Scenario().withServing126();
    scenario.apply(accepted(scenario.decide(canary127())));
    scenario.apply(
      accepted(
        scenario.decide({ kind: 'CANARY_TRAFFIC_CHANGED', reportId: 'r2', reportedAt: JAN_27, deploymentId: 'd127', trafficPercent: 20 }),
      ),
    );
    expect(
      rule(
        scenario.decide({
          kind: 'CANARY_TRAFFIC_CHANGED',
          reportId: 'r3',
          reportedAt: JAN_26 + 1,
          deploymentId: 'd127',
          trafficPercent: 10,
        }),
      ),
    ).toBe('out-of-order');
    scenario.apply(
      accepted(
        scenario.decide({ kind: 'DEPLOYMENT_RETIRED', reportId: 'r4', reportedAt: JAN_27 + 1, deploymentId: 'd127', reason: 'done' }),
      ),
    );
    expect(
      rule(
        scenario.decide({
          kind: 'CANARY_TRAFFIC_CHANGED',
          reportId: 'r5',
          reportedAt: JAN_27 + 2,
          deploymentId: 'd127',
          trafficPercent: 30,
        }),
      ),
    ).toBe('retired');
  });

  it('recommends a rollback when a canary breaches the p99 guardrail, with the evidence', () => {
    const scenario = new Scenario().withServing126();
    scenario.apply(accepted(scenario.decide(canary127())));
    scenario.baselineOnline.set(126, { p99_latency_ms: 61, ctr: 0.05 });
    const facts = accepted(
      scenario.decide({
        kind: 'ONLINE_METRICS',
        reportId: 'm1',
        reportedAt: JAN_27,
        placement: fraud,
        modelVersion: 127,
        windowStart: JAN_26,
        windowEnd: JAN_27,
        metrics: { p99_latency_ms: 180, ctr: 0.0499 },
      }),
    );
    expect(facts.map((fact) => fact.type)).toEqual(['OnlineMetricsReported', 'RollbackRecommended']);
    expect(facts[1]?.data).toMatchObject({
      deploymentId: 'd127',
      modelVersion: 127,
      baselineVersion: 126,
      metric: 'p99_latency_ms',
      canaryValue: 180,
      baselineValue: 61,
      guardrail: 'p99_latency_ms < 100',
      onlineMetricsEventId: 'online-1',
    });
  });

  it('recommends a rollback when the canary CTR drops more than 3% against its baseline, not at 2.9%', () => {
    const scenario = new Scenario().withServing126();
    scenario.apply(accepted(scenario.decide(canary127())));
    scenario.baselineOnline.set(126, { ctr: 0.05 });
    const at = (ctr: number) =>
      accepted(
        scenario.decide({
          kind: 'ONLINE_METRICS',
          reportId: 'm',
          reportedAt: JAN_27,
          placement: fraud,
          modelVersion: 127,
          windowStart: JAN_26,
          windowEnd: JAN_27,
          metrics: { ctr },
        }),
      ).map((f) => f.type);
    expect(at(0.05 * 0.971)).toEqual(['OnlineMetricsReported']);
    expect(at(0.05 * 0.96)).toEqual(['OnlineMetricsReported', 'RollbackRecommended']);
  });

  it('detects an offline/online divergence beyond the policy tolerance (0.85 offline, 0.78 online)', () => {
    const scenario = new Scenario();
    const facts = accepted(
      scenario.decide({
        kind: 'ONLINE_METRICS',
        reportId: 'm1',
        reportedAt: JAN_27,
        placement: fraud,
        modelVersion: 127,
        windowStart: JAN_26,
        windowEnd: JAN_27,
        metrics: { precision_at_10: 0.78 },
      }),
    );
    expect(facts[1]).toEqual({
      type: 'OfflineOnlineDivergenceDetected',
      data: {
        ...fraud,
        modelVersion: 127,
        metric: 'precision_at_10',
        offlineValue: 0.85,
        onlineValue: 0.78,
        tolerance: 0.05,
        policyId: 'default',
        policyVersion: 1,
        onlineMetricsEventId: 'online-1',
      },
    });
    const close = accepted(
      scenario.decide({
        kind: 'ONLINE_METRICS',
        reportId: 'm2',
        reportedAt: JAN_27,
        placement: fraud,
        modelVersion: 127,
        windowStart: JAN_26,
        windowEnd: JAN_27,
        metrics: { precision_at_10: 0.81 },
      }),
    );
    expect(close.map((f) => f.type)).toEqual(['OnlineMetricsReported']);
  });

  it('refuses online metrics and A/B results for unknown versions', () => {
    const scenario = new Scenario();
    expect(
      rule(
        scenario.decide({
          kind: 'ONLINE_METRICS',
          reportId: 'm',
          reportedAt: JAN_27,
          placement: fraud,
          modelVersion: 5,
          windowStart: JAN_26,
          windowEnd: JAN_27,
          metrics: { ctr: 1 },
        }),
      ),
    ).toBe('unknown-version');
    expect(
      rule(
        scenario.decide({
          kind: 'AB_TEST_CONCLUDED',
          reportId: 'a',
          reportedAt: JAN_27,
          testId: 't',
          placement: fraud,
          controlVersion: 126,
          treatmentVersion: 5,
          results: [],
          decision: 'INCONCLUSIVE',
        }),
      ),
    ).toBe('unknown-version');
  });

  it('refuses reports about unknown deployments', () => {
    expect(rule(new Scenario().decide({ kind: 'ROLLOUT_COMPLETED', reportId: 'r', reportedAt: JAN_27, deploymentId: 'nope' }))).toBe(
      'unknown-deployment',
    );
  });
});
