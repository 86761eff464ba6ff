import fc from 'fast-check';
import {
  decideReport,
  emptyPlacement,
  evolvePlacement,
  isPlacementEvent,
  servingView,
  type DeploymentReport,
  type Placement,
  type PlacementEvent,
  type PlacementState,
  type VersionFacts,
} from '@modelreg/deployments';

/** The placement every generated history is about, and a neighbour whose events it must ignore. */
export const HISTORY_PLACEMENT: Placement = {
  modelName: 'fraud-model',
  service: 'scoring',
  surface: 'checkout',
  environment: 'production',
};
const NEIGHBOUR: Placement = { ...HISTORY_PLACEMENT, surface: 'login' };
const DEPLOYMENTS = ['d1', 'd2', 'd3', 'd4', 'd5'];
const VERSIONS = [1, 2, 3, 4];
const passed: VersionFacts = { registered: true, latestVerdict: 'PASSED', placementVerdicts: [], offlineMetrics: {} };
const VERSION_FACTS = new Map(VERSIONS.map((version) => [version, passed]));

type Step =
  { source: 'report'; report: ReportWithoutIdentity } | { source: 'intent'; intent: Intent } | { source: 'raw'; event: PlacementEvent };

/** A report aimed at the state it meets (a live deployment, a version that served), so that valid histories go deep. */
interface Intent {
  kind: 'start' | 'traffic' | 'rollout' | 'rollback' | 'retire';
  pick: number;
  version: number;
  trafficPercent: number;
}

const deploymentId = fc.constantFrom(...DEPLOYMENTS);
const version = fc.constantFrom(...VERSIONS);
const traffic = fc.constantFrom(5, 10, 50, 99, 100);
const placement = fc.constantFrom(HISTORY_PLACEMENT, HISTORY_PLACEMENT, HISTORY_PLACEMENT, NEIGHBOUR);

type ReportWithoutIdentity = DeploymentReport extends infer R
  ? R extends DeploymentReport
    ? Omit<R, 'reportId' | 'reportedAt'>
    : never
  : never;

/** Reports a controller could send about one placement (deployment ids and versions from small sets, so they collide). */
function controllerReport(
  where: Placement,
  deploymentIds: fc.Arbitrary<string>,
  versions: fc.Arbitrary<number>,
): fc.Arbitrary<ReportWithoutIdentity> {
  return fc.oneof(
    fc.record({
      kind: fc.constant('CANARY_STARTED' as const),
      deploymentId: deploymentIds,
      placement: fc.constant(where),
      modelVersion: versions,
      trafficPercent: traffic,
      baselineVersion: fc.constant(null),
    }),
    fc.record({ kind: fc.constant('CANARY_TRAFFIC_CHANGED' as const), deploymentId: deploymentIds, trafficPercent: traffic }),
    fc.record({ kind: fc.constant('ROLLOUT_COMPLETED' as const), deploymentId: deploymentIds }),
    fc.record({
      kind: fc.constant('ROLLED_BACK' as const),
      deploymentId: deploymentIds,
      toVersion: versions,
      reason: fc.constant('guardrail'),
      triggerMetric: fc.constant(null),
      triggerValue: fc.constant(null),
    }),
    fc.record({ kind: fc.constant('DEPLOYMENT_RETIRED' as const), deploymentId: deploymentIds, reason: fc.constant('done') }),
  ) as fc.Arbitrary<ReportWithoutIdentity>;
}

/** Reports the decider turns into the events a valid history holds: blind ones, and ones aimed at the state. */
const report: fc.Arbitrary<Step> = fc.oneof(
  controllerReport(HISTORY_PLACEMENT, deploymentId, version).map((value) => ({ source: 'report', report: value }) as Step),
  fc
    .record({
      kind: fc.constantFrom('start' as const, 'traffic' as const, 'rollout' as const, 'rollback' as const, 'retire' as const),
      pick: fc.nat(),
      version,
      trafficPercent: traffic,
    })
    .map((intent) => ({ source: 'intent', intent }) as Step),
);

function aimed(state: PlacementState, intent: Intent, index: number): ReportWithoutIdentity | null {
  if (intent.kind === 'start')
    return {
      kind: 'CANARY_STARTED',
      deploymentId: `n${index}`,
      placement: state.placement,
      modelVersion: intent.version,
      trafficPercent: intent.trafficPercent,
      baselineVersion: null,
    };
  const target = state.deployments[intent.pick % Math.max(state.deployments.length, 1)];
  if (!target) return null;
  const { deploymentId: id } = target;
  switch (intent.kind) {
    case 'traffic':
      return { kind: 'CANARY_TRAFFIC_CHANGED', deploymentId: id, trafficPercent: intent.trafficPercent };
    case 'rollout':
      return { kind: 'ROLLOUT_COMPLETED', deploymentId: id };
    case 'rollback':
      return {
        kind: 'ROLLED_BACK',
        deploymentId: id,
        toVersion: state.servedVersions[intent.pick % Math.max(state.servedVersions.length, 1)] ?? intent.version,
        reason: 'guardrail',
        triggerMetric: null,
        triggerValue: null,
      };
    case 'retire':
      return { kind: 'DEPLOYMENT_RETIRED', deploymentId: id, reason: 'done' };
    default: {
      const unreachable: never = intent.kind;
      throw new Error(`unhandled ${String(unreachable)}`);
    }
  }
}

/**
 * A sample of controller reports about one placement as HTTP bodies (`kind`, `reportId`,
 * `reportedAt` and the kind's fields), times increasing from `start`: for driving the running
 * services. Many are refused by a rule, as in life.
 */
export function sampleReportBodies(
  where: Placement,
  options: { deploymentIds: string[]; versions: number[]; count: number; seed: number; start: number },
): Array<Record<string, unknown>> {
  const reports = fc.sample(controllerReport(where, fc.constantFrom(...options.deploymentIds), fc.constantFrom(...options.versions)), {
    numRuns: options.count,
    seed: options.seed,
  });
  return reports.map((value, index) => {
    const { placement, ...rest } = value as ReportWithoutIdentity & { placement?: Placement };
    return {
      ...rest,
      ...(placement ?? {}),
      reportId: `sample-${options.seed}-${index}`,
      reportedAt: new Date(options.start + index * 60_000).toISOString(),
    };
  });
}

/** Events no decider would emit (unknown deployments, other placements, repeats, contradictions): the fold must take them too. */
const raw: fc.Arbitrary<Step> = fc
  .oneof(
    fc
      .record({ deploymentId, placement, modelVersion: version, trafficPercent: traffic, baselineVersion: fc.option(version) })
      .map(({ placement: p, ...rest }) => ({ type: 'CanaryStarted' as const, data: { ...p, ...rest, startedAt: 0 } })),
    fc
      .record({ deploymentId, placement, modelVersion: version, fromPercent: traffic, toPercent: traffic })
      .map(({ placement: p, ...rest }) => ({ type: 'CanaryTrafficChanged' as const, data: { ...p, ...rest, changedAt: 0 } })),
    fc
      .record({ deploymentId, placement, modelVersion: version, previousVersion: fc.option(version) })
      .map(({ placement: p, ...rest }) => ({ type: 'RolloutCompleted' as const, data: { ...p, ...rest, completedAt: 0 } })),
    fc.record({ deploymentId, placement, fromVersion: version, toVersion: version }).map(({ placement: p, ...rest }) => ({
      type: 'RolledBack' as const,
      data: { ...p, ...rest, reason: 'x', triggerMetric: null, triggerValue: null, rolledBackAt: 0 },
    })),
    fc
      .record({ deploymentId, placement, modelVersion: version })
      .map(({ placement: p, ...rest }) => ({ type: 'DeploymentRetired' as const, data: { ...p, ...rest, reason: 'x', retiredAt: 0 } })),
  )
  .map((event) => ({ source: 'raw', event }) as Step);

/**
 * Histories of one placement: mostly what the deployment decider accepts from random reports
 * (valid sequences), mixed with events that break its rules (invalid ones). Times increase by a
 * random step, sometimes zero.
 */
export function placementHistories(options: { maxLength?: number; invalid?: boolean } = {}): fc.Arbitrary<PlacementEvent[]> {
  const step = options.invalid === false ? report : fc.oneof({ weight: 3, arbitrary: report }, { weight: 1, arbitrary: raw });
  return fc.array(fc.tuple(step, fc.integer({ min: 0, max: 3 })), { maxLength: options.maxLength ?? 40, size: 'max' }).map((steps) => {
    let state = emptyPlacement(HISTORY_PLACEMENT);
    let at = Date.UTC(2024, 0, 1);
    const events: PlacementEvent[] = [];
    steps.forEach(([next, gap], index) => {
      at += gap * 60_000;
      const asked = next.source === 'report' ? next.report : next.source === 'intent' ? aimed(state, next.intent, index) : null;
      const produced =
        next.source === 'raw'
          ? [withTime(next.event, at)]
          : asked
            ? decided(state, { ...asked, reportId: `r${index}`, reportedAt: at } as DeploymentReport)
            : [];
      for (const event of produced) {
        state = evolvePlacement(state, event);
        events.push(event);
      }
    });
    return events;
  });
}

function decided(state: PlacementState, report: DeploymentReport): PlacementEvent[] {
  const deployment =
    'deploymentId' in report ? (state.deployments.find((record) => record.deploymentId === report.deploymentId) ?? null) : null;
  const decision = decideReport(report, { deployment, placement: state, versions: VERSION_FACTS, online: null });
  return decision.accepted ? decision.facts.filter(isPlacementEvent) : [];
}

function withTime(event: PlacementEvent, at: number): PlacementEvent {
  switch (event.type) {
    case 'CanaryStarted':
      return { ...event, data: { ...event.data, startedAt: at } };
    case 'CanaryTrafficChanged':
      return { ...event, data: { ...event.data, changedAt: at } };
    case 'RolloutCompleted':
      return { ...event, data: { ...event.data, completedAt: at } };
    case 'RolledBack':
      return { ...event, data: { ...event.data, rolledBackAt: at } };
    case 'DeploymentRetired':
      return { ...event, data: { ...event.data, retiredAt: at } };
    default: {
      const unreachable: never = event;
      throw new Error(`unhandled ${String(unreachable)}`);
    }
  }
}

/**
 * Asserts that a service's persistence (state → what it stores → state, after every event) leaves
 * the serving views exactly as the pure fold computes them, for thousands of histories.
 */
export function assertPersistenceKeepsServingViews(roundTrip: (state: PlacementState) => PlacementState, runs = 2000): void {
  fc.assert(
    fc.property(placementHistories(), (events) => {
      let pure = emptyPlacement(HISTORY_PLACEMENT);
      let stored = roundTrip(pure);
      for (const event of events) {
        pure = evolvePlacement(pure, event);
        stored = roundTrip(evolvePlacement(stored, event));
        if (JSON.stringify(servingView(stored)) !== JSON.stringify(servingView(pure))) {
          throw new Error(
            `after ${event.type} ${JSON.stringify(event.data)}: ` +
              `stored ${JSON.stringify(servingView(stored))}, fold ${JSON.stringify(servingView(pure))}`,
          );
        }
      }
    }),
    { numRuns: runs },
  );
}
