import { Inject, Injectable } from '@nestjs/common';
import { promotionTargets, verdictOn, type Placement } from '@modelreg/deployments';
import { originOf, type EventOrigin, type GateEvaluated } from '@modelreg/events';
import { withTransaction, type PoolClient } from '@modelreg/postgres';
import type { DeploymentTrackerDependencies } from '../deployment-tracker-dependencies';
import { DEPLOYMENT_TRACKER_DEPENDENCIES } from '../deployment-tracker.constants';
import { deploymentStore } from '../state/deployment-store';
import { modelPromotedMessage } from './model-promoted';

export type PromotionOutcome =
  { outcome: 'promoted'; eventId: string } | { outcome: 'unknown-version'; message: string } | { outcome: 'not-passed'; message: string };

/** ModelPromoted: automatically where a gate decision passed, or on request for a version whose gate passed there. */
@Injectable()
export class PromotionService {
  constructor(@Inject(DEPLOYMENT_TRACKER_DEPENDENCIES) private readonly deps: DeploymentTrackerDependencies) {}

  /** Records a gate decision and promotes its candidate where it passed (ModelPromoted per placement). */
  async onGateEvaluated(client: PoolClient, decision: GateEvaluated, record: Buffer | null): Promise<void> {
    await deploymentStore.recordVerdict(client, decision, record);
    const targets = promotionTargets(decision, await deploymentStore.placementsOf(client, decision.modelName));
    const passed = {
      modelVersion: decision.candidateVersion,
      decisionEventId: decision.envelope.eventId,
      policyId: decision.policy.policyId,
      policyVersion: decision.policy.policyVersion,
    };
    await this.deps.relay.enqueue(
      client,
      targets.map((placement) => modelPromotedMessage(this.deps, placement, passed, originOf(decision.envelope)).message),
    );
  }

  /** Promotes a version to a (new) placement when its latest gate decision passed there. */
  async promote(placement: Placement, modelVersion: number, origin: EventOrigin): Promise<PromotionOutcome> {
    const outcome = await withTransaction(this.deps.pool, async (client): Promise<PromotionOutcome> => {
      const name = `${placement.modelName} v${modelVersion}`;
      const version = await deploymentStore.latestDecision(client, placement.modelName, modelVersion, this.deps.decisionTrust);
      if (!version?.registered) return { outcome: 'unknown-version', message: `${name} is not registered` };
      const verdict = verdictOn(version, placement);
      if (verdict !== 'PASSED' || version.decisionEventId === null || version.policyId === null || version.policyVersion === null) {
        const where = `${placement.service}/${placement.surface} in ${placement.environment}`;
        const message = verdict ? `${name} has failed its latest gate decision on ${where}` : `${name} has no gate decision yet`;
        return { outcome: 'not-passed', message };
      }
      await deploymentStore.lockPlacement(client, placement);
      const passed = {
        modelVersion,
        decisionEventId: version.decisionEventId,
        policyId: version.policyId,
        policyVersion: version.policyVersion,
      };
      const promotion = modelPromotedMessage(this.deps, placement, passed, origin);
      await this.deps.relay.enqueue(client, [promotion.message]);
      return { outcome: 'promoted', eventId: promotion.eventId };
    });
    if (outcome.outcome === 'promoted') this.deps.relay.nudge();
    return outcome;
  }
}
