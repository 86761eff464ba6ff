import fc from 'fast-check';
import {
  decideReport, emptyPlacement, evolvePlacement, isPlacementEvent, servingView,
  type DeploymentReport, type Placement, type PlacementEvent, type PlacementState, type VersionFacts,
} from '@modelreg/deployments';

/** The placement every generated history is about, and a neighbour whose events it must ignore. */
export const HISTORY_PLACEMENT: Placement = { modelName: 'fraud-model', service: 'scoring', surface: 'checkout', environment: 'production' };
const NEIGHBOUR: Placement = { ...HISTORY_PLACEMENT, surface: 'login' };
const DEPLOYMENTS = ['d1', 'd2', 'd3', 'd4', 'd5'];
const VERSIONS = [1, 2, 3, 4];
const passed: VersionFacts = { registered: true, latestVerdict: 'PASSED', placementVerdicts: [], offlineMetrics: {} };
const VERSION_FACTS = new Map(VERSIONS.map((version) => [version, passed]));

type Step =
  | { source: 'report'; report: Omit<DeploymentReport, 'reportId' | 'reportedAt'> }
  | { source: 'raw'; event: PlacementEvent };

const deploymentId = fc.constantFrom(...DEPLOYMENTS);
const version = fc.constantFrom(...VERSIONS);
const traffic = fc.constantFrom(5, 10, 50, 99, 100);
const placement = fc.constantFrom(HISTORY_PLACEMENT, HISTORY_PLACEMENT, HISTORY_PLACEMENT, NEIGHBOUR);

/** Reports a controller could send: the decider turns them into the events a valid history holds. */
const report: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('CANARY_STARTED' as const), deploymentId, placement: fc.constant(HISTORY_PLACEMENT), modelVersion: version, trafficPercent: traffic, baselineVersion: fc.constant(null) }),
  fc.record({ kind: fc.constant('CANARY_TRAFFIC_CHANGED' as const), deploymentId, trafficPercent: traffic }),
  fc.record({ kind: fc.constant('ROLLOUT_COMPLETED' as const), deploymentId }),
  fc.record({ kind: fc.constant('ROLLED_BACK' as const), deploymentId, toVersion: version, reason: fc.constant('guardrail'), triggerMetric: fc.constant(null), triggerValue: fc.constant(null) }),
  fc.record({ kind: fc.constant('DEPLOYMENT_RETIRED' as const), deploymentId, reason: fc.constant('done') }),
).map((value) => ({ source: 'report', report: value }) as Step);

/** Events no decider would emit (unknown deployments, other placements, repeats, contradictions): the fold must take them too. */
const raw: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ deploymentId, placement, modelVersion: version, trafficPercent: traffic, baselineVersion: fc.option(version) }).map(({ placement: p, ...rest }) => ({ type: 'CanaryStarted' as const, data: { ...p, ...rest, startedAt: 0 } })),
  fc.record({ deploymentId, placement, modelVersion: version, fromPercent: traffic, toPercent: traffic }).map(({ placement: p, ...rest }) => ({ type: 'CanaryTrafficChanged' as const, data: { ...p, ...rest, changedAt: 0 } })),
  fc.record({ deploymentId, placement, modelVersion: version, previousVersion: fc.option(version) }).map(({ placement: p, ...rest }) => ({ type: 'RolloutCompleted' as const, data: { ...p, ...rest, completedAt: 0 } })),
  fc.record({ deploymentId, placement, fromVersion: version, toVersion: version }).map(({ placement: p, ...rest }) => ({ type: 'RolledBack' as const, data: { ...p, ...rest, reason: 'x', triggerMetric: null, triggerValue: null, rolledBackAt: 0 } })),
  fc.record({ deploymentId, placement, modelVersion: version }).map(({ placement: p, ...rest }) => ({ type: 'DeploymentRetired' as const, data: { ...p, ...rest, reason: 'x', retiredAt: 0 } })),
).map((event) => ({ source: 'raw', event }) as Step);

/**
 * Histories of one placement: mostly what the deployment decider accepts from random reports
 * (valid sequences), mixed with events that break its rules (invalid ones). Times increase by a
 * random step, sometimes zero.
 */
export function placementHistories(options: { maxLength?: number; invalid?: boolean } = {}): fc.Arbitrary<PlacementEvent[]> {
  const step = options.invalid === false ? report : fc.oneof({ weight: 3, arbitrary: report }, { weight: 1, arbitrary: raw });
  return fc.array(fc.tuple(step, fc.integer({ min: 0, max: 3 })), { maxLength: options.maxLength ?? 40 }).map((steps) => {
    let state = emptyPlacement(HISTORY_PLACEMENT);
    let at = Date.UTC(2024, 0, 1);
    const events: PlacementEvent[] = [];
    steps.forEach(([next, gap], index) => {
      at += gap * 60_000;
      const produced = next.source === 'raw' ? [withTime(next.event, at)] : decided(state, { ...next.report, reportId: `r${index}`, reportedAt: at } as DeploymentReport);
      for (const event of produced) {
        state = evolvePlacement(state, event);
        events.push(event);
      }
    });
    return events;
  });
}

function decided(state: PlacementState, report: DeploymentReport): PlacementEvent[] {
  const deployment = 'deploymentId' in report ? (state.deployments.find((record) => record.deploymentId === report.deploymentId) ?? null) : null;
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
          throw new Error(`after ${event.type} ${JSON.stringify(event.data)}: stored ${JSON.stringify(servingView(stored))}, fold ${JSON.stringify(servingView(pure))}`);
        }
      }
    }),
    { numRuns: runs },
  );
}
