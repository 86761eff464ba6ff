import { Inject, Injectable } from '@nestjs/common';
import { placementJson, type DeploymentRecord } from '@modelreg/deployments';
import { isoTime } from '@modelreg/validation';
import type { DeploymentTrackerDependencies } from '../deployment-tracker-dependencies';
import { DEPLOYMENT_TRACKER_DEPENDENCIES } from '../deployment-tracker.constants';
import { deploymentStore } from '../state/deployment-store';

/** What serves where, as the placement fold left it, and single deployments. */
@Injectable()
export class PlacementQueryService {
  constructor(@Inject(DEPLOYMENT_TRACKER_DEPENDENCIES) private readonly deps: DeploymentTrackerDependencies) {}

  /** Per placement of the model: the serving version since when, the versions that served, the running canaries. */
  async placements(modelName: string, environment: string | null) {
    const states = await deploymentStore.placementStates(this.deps.pool, modelName, environment);
    return states.map(placementJson);
  }

  async deployment(
    deploymentId: string,
  ): Promise<(Omit<DeploymentRecord, 'placement' | 'startedAt' | 'lastReportAt'> & Record<string, unknown>) | null> {
    const record = await deploymentStore.findDeployment(this.deps.pool, deploymentId);
    if (!record) return null;
    const { placement, startedAt, lastReportAt, ...rest } = record;
    return { ...rest, ...placement, startedAt: isoTime(startedAt), lastReportAt: isoTime(lastReportAt) };
  }
}
