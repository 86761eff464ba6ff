import { isoTime } from '@modelreg/validation';
import type { DeploymentFact } from './deployment-decider';
import type { Placement } from './deployment-report';
import { hasEnded, type DeploymentRecord, type PlacementState } from './deployment-state';

/** The deployment events that change what serves a placement. */
export type PlacementEvent = Extract<
  DeploymentFact,
  { type: 'CanaryStarted' | 'CanaryTrafficChanged' | 'RolloutCompleted' | 'RolledBack' | 'DeploymentRetired' }
>;

const PLACEMENT_EVENT_TYPES: ReadonlySet<string> = new Set([
  'CanaryStarted',
  'CanaryTrafficChanged',
  'RolloutCompleted',
  'RolledBack',
  'DeploymentRetired',
]);

export function isPlacementEvent(event: { type: string }): event is PlacementEvent {
  return PLACEMENT_EVENT_TYPES.has(event.type);
}

/** What consumers compare and show: the serving version of a placement and its running canaries. */
export interface ServingView {
  servingVersion: number | null;
  servingDeploymentId: string | null;
  servingSince: number | null;
  servedVersions: number[];
  canaries: Array<{
    deploymentId: string;
    modelVersion: number;
    trafficPercent: number;
    baselineVersion: number | null;
    startedAt: number;
  }>;
}

/**
 * The one rule for "which version serves this surface". A rollout makes its deployment serve 100%
 * and supersedes the one that served before; a rollback ends the deployment and restores the
 * version it names, reviving that version's latest superseded deployment on the placement;
 * retiring the serving deployment leaves nothing serving; retiring any other changes only that
 * deployment. Events of another placement, about an unknown or ended deployment, or repeating the
 * start of a live one change nothing. A deployment that ended stays in the state until the next
 * event, so stores can record how it ended, and is then forgotten. Pure and total: any sequence of
 * events folds.
 */
export function evolvePlacement(previous: PlacementState, event: PlacementEvent): PlacementState {
  if (!samePlacement(previous.placement, event.data)) return previous;
  const state = { ...previous, deployments: liveDeployments(previous) };
  const target = state.deployments.find((record) => record.deploymentId === event.data.deploymentId);
  switch (event.type) {
    case 'CanaryStarted': {
      if (target) return previous;
      const { deploymentId, modelVersion, trafficPercent, baselineVersion, startedAt } = event.data;
      const record: DeploymentRecord = {
        deploymentId,
        placement: state.placement,
        modelVersion,
        status: 'CANARY',
        trafficPercent,
        baselineVersion,
        startedAt,
        lastReportAt: startedAt,
      };
      return { ...state, deployments: [...state.deployments, record].sort(byStart) };
    }
    case 'CanaryTrafficChanged':
      if (target?.status !== 'CANARY') return previous;
      return withRecords(state, { ...target, trafficPercent: event.data.toPercent, lastReportAt: event.data.changedAt });
    case 'RolloutCompleted': {
      if (target?.status !== 'CANARY') return previous;
      const at = event.data.completedAt;
      const serving = state.deployments.find((record) => record.status === 'SERVING');
      const superseded = serving
        ? [{ ...serving, status: 'SUPERSEDED' as const, trafficPercent: 0, lastReportAt: Math.max(serving.lastReportAt, at) }]
        : [];
      return {
        ...withRecords(state, { ...target, status: 'SERVING', trafficPercent: 100, lastReportAt: at }, ...superseded),
        servingVersion: target.modelVersion,
        servingDeploymentId: target.deploymentId,
        servingSince: at,
        servedVersions: withVersion(state.servedVersions, target.modelVersion),
      };
    }
    case 'RolledBack': {
      if (!target) return previous;
      const { toVersion, rolledBackAt: at } = event.data;
      const rolledBack = { ...target, status: 'ROLLED_BACK' as const, trafficPercent: 0, lastReportAt: at };
      const current = state.deployments.find((record) => record.status === 'SERVING' && record !== target);
      const stillServing = current?.modelVersion === toVersion ? current : null;
      const revived = stillServing ? null : latestSuperseded(state.deployments, toVersion);
      const restored = stillServing ?? revived;
      const replaced =
        current && !stillServing
          ? [{ ...current, status: 'SUPERSEDED' as const, trafficPercent: 0, lastReportAt: Math.max(current.lastReportAt, at) }]
          : [];
      const next = withRecords(
        state,
        rolledBack,
        ...replaced,
        ...(revived
          ? [{ ...revived, status: 'SERVING' as const, trafficPercent: 100, lastReportAt: Math.max(revived.lastReportAt, at) }]
          : []),
      );
      return {
        ...next,
        servingVersion: toVersion,
        servingDeploymentId: restored?.deploymentId ?? null,
        servingSince: state.servingVersion === toVersion ? state.servingSince : at,
        servedVersions: withVersion(state.servedVersions, toVersion),
      };
    }
    case 'DeploymentRetired': {
      if (!target) return previous;
      const next = withRecords(state, { ...target, status: 'RETIRED', trafficPercent: 0, lastReportAt: event.data.retiredAt });
      return state.servingDeploymentId === target.deploymentId
        ? { ...next, servingVersion: null, servingDeploymentId: null, servingSince: null }
        : next;
    }
    default: {
      const unreachable: never = event;
      throw new Error(`unhandled ${String(unreachable)}`);
    }
  }
}

/** The serving version, since when, rollback targets and running canaries: what every service must agree on. */
export function servingView(state: PlacementState): ServingView {
  return {
    servingVersion: state.servingVersion,
    servingDeploymentId: state.servingDeploymentId,
    servingSince: state.servingSince,
    servedVersions: state.servedVersions,
    canaries: state.deployments
      .filter((record) => record.status === 'CANARY')
      .map(({ deploymentId, modelVersion, trafficPercent, baselineVersion, startedAt }) => ({
        deploymentId,
        modelVersion,
        trafficPercent,
        baselineVersion,
        startedAt,
      })),
  };
}

/** A placement's serving view as the HTTP answers carry it (`PlacementServing`): where it is, times in ISO 8601. */
export function placementJson(state: PlacementState) {
  const view = servingView(state);
  const { environment, service, surface } = state.placement;
  return {
    environment,
    service,
    surface,
    ...view,
    servingSince: isoTime(view.servingSince),
    canaries: view.canaries.map((canary) => ({ ...canary, startedAt: isoTime(canary.startedAt) })),
  };
}

/** The deployments stores keep between events: ended ones never matter again. */
export function liveDeployments(state: PlacementState): DeploymentRecord[] {
  return state.deployments.filter((record) => !hasEnded(record));
}

export function samePlacement(a: Placement, b: Placement): boolean {
  return a.modelName === b.modelName && a.environment === b.environment && a.service === b.service && a.surface === b.surface;
}

/** Orders a placement's deployments the way every store loads them. */
export function byStart(a: DeploymentRecord, b: DeploymentRecord): number {
  return a.startedAt - b.startedAt || (a.deploymentId < b.deploymentId ? -1 : a.deploymentId > b.deploymentId ? 1 : 0);
}

function withRecords(state: PlacementState, ...records: DeploymentRecord[]): PlacementState {
  const replaced = new Map(records.map((record) => [record.deploymentId, record]));
  return { ...state, deployments: state.deployments.map((record) => replaced.get(record.deploymentId) ?? record) };
}

/** The deployment of `version` that served most recently and was only superseded since. */
function latestSuperseded(deployments: readonly DeploymentRecord[], version: number): DeploymentRecord | null {
  let latest: DeploymentRecord | null = null;
  for (const record of deployments) {
    if (record.status === 'SUPERSEDED' && record.modelVersion === version && (!latest || record.lastReportAt >= latest.lastReportAt))
      latest = record;
  }
  return latest;
}

/** Every version that served a placement 100% stays a rollback target. */
function withVersion(versions: number[], version: number): number[] {
  return versions.includes(version) ? versions : [...versions, version].sort((a, b) => a - b);
}
