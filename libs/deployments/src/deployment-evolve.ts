import type { DeploymentFact } from './deployment-decider';
import type { DeploymentRecord, PlacementState } from './deployment-state';

/** The new state of a deployment after one of its facts. */
export function evolveDeployment(record: DeploymentRecord | null, fact: DeploymentFact): DeploymentRecord | null {
  switch (fact.type) {
    case 'CanaryStarted': {
      const { deploymentId, modelName, service, surface, environment, modelVersion, trafficPercent, baselineVersion, startedAt } = fact.data;
      return { deploymentId, placement: { modelName, service, surface, environment }, modelVersion, status: 'CANARY', trafficPercent, baselineVersion, startedAt, lastReportAt: startedAt };
    }
    case 'CanaryTrafficChanged':
      return record && { ...record, trafficPercent: fact.data.toPercent, lastReportAt: fact.data.changedAt };
    case 'RolloutCompleted':
      return record && { ...record, status: 'SERVING', trafficPercent: 100, lastReportAt: fact.data.completedAt };
    case 'RolledBack':
      return record && { ...record, status: 'ROLLED_BACK', trafficPercent: 0, lastReportAt: fact.data.rolledBackAt };
    case 'DeploymentRetired':
      return record && { ...record, status: 'RETIRED', trafficPercent: 0, lastReportAt: fact.data.retiredAt };
    case 'OnlineMetricsReported':
    case 'AbTestConcluded':
    case 'OfflineOnlineDivergenceDetected':
    case 'RollbackRecommended':
      return record;
    default: {
      const unreachable: never = fact;
      throw new Error(`unhandled ${String(unreachable)}`);
    }
  }
}

/** The new state of a placement: at most one version serves 100%, and every version that did is remembered. */
export function evolvePlacement(state: PlacementState, fact: DeploymentFact): PlacementState {
  switch (fact.type) {
    case 'RolloutCompleted':
      return { ...state, servingVersion: fact.data.modelVersion, servingDeploymentId: fact.data.deploymentId, servingSince: fact.data.completedAt, servedVersions: withVersion(state.servedVersions, fact.data.modelVersion) };
    case 'RolledBack':
      return { ...state, servingVersion: fact.data.toVersion, servingDeploymentId: null, servingSince: fact.data.rolledBackAt };
    case 'DeploymentRetired':
      return state.servingDeploymentId === fact.data.deploymentId ? { ...state, servingVersion: null, servingDeploymentId: null, servingSince: null } : state;
    case 'CanaryStarted':
    case 'CanaryTrafficChanged':
    case 'OnlineMetricsReported':
    case 'AbTestConcluded':
    case 'OfflineOnlineDivergenceDetected':
    case 'RollbackRecommended':
      return state;
    default: {
      const unreachable: never = fact;
      throw new Error(`unhandled ${String(unreachable)}`);
    }
  }
}

/** Every version that served a placement 100% stays a rollback target. */
function withVersion(versions: number[], version: number): number[] {
  return versions.includes(version) ? versions : [...versions, version].sort((a, b) => a - b);
}
