import { Inject, Injectable } from '@nestjs/common';
import { validateDeploymentReport, type DeploymentReport } from '@modelreg/deployments';
import { outsideOrigin, type EventEnvelope } from '@modelreg/events';
import type { GatePolicy } from '@modelreg/gates';
import { EventTooLargeError, type ConsumedEvent, type DeadLetter } from '@modelreg/kafka';
import type { PoolClient } from '@modelreg/postgres';
import { parseStrictJson } from '@modelreg/validation';
import type { DeploymentTrackerDependencies } from '../deployment-tracker-dependencies';
import { DEPLOYMENT_TRACKER_DEPENDENCIES } from '../deployment-tracker.constants';
import { PromotionService } from '../promotions/promotion.service';
import { deploymentStore } from '../state/deployment-store';
import { DeploymentReportService } from './deployment-report.service';

/**
 * What the tracker takes from the log: registered versions and their offline metrics, gate
 * verdicts (the candidate is promoted where it passed), policies (for
 * guardrails), and controller reports sent over Kafka.
 */
@Injectable()
export class LogEventsHandler {
  constructor(
    @Inject(DEPLOYMENT_TRACKER_DEPENDENCIES) private readonly deps: DeploymentTrackerDependencies,
    private readonly reports: DeploymentReportService,
    private readonly promotions: PromotionService,
  ) {}

  async applyEvents(client: PoolClient, events: ConsumedEvent[]): Promise<DeadLetter[]> {
    const rejected: DeadLetter[] = [];
    for (const consumed of events) {
      const { event } = consumed;
      switch (event.type) {
        case 'RunRegistered':
          await deploymentStore.recordVersion(client, event.data.modelName, event.data.modelVersion, event.data.metrics.overall);
          break;
        case 'GateEvaluated':
          await this.promotions.onGateEvaluated(client, event.data, consumed.source.value);
          break;
        case 'GatePolicyPublished':
          await deploymentStore.recordPolicy(client, JSON.parse(event.data.document) as GatePolicy);
          break;
        case 'PolicyProposed':
        case 'PolicyApproved':
          // Not in force: the GatePolicyPublished that follows an approval is.
          break;
        case 'DeploymentReportSubmitted': {
          const { envelope, reportId, kind, reportedAt, body } = event.data;
          const json = parseStrictJson(body);
          if (!json.ok) {
            rejected.push({ source: consumed.source, reason: `invalid report: body is not valid JSON (${json.problem.message})` });
            break;
          }
          const parsed = { ...(json.value as Record<string, unknown>), kind, reportId, reportedAt: new Date(reportedAt).toISOString() };
          const validated = validateDeploymentReport(parsed, { now: Date.now(), maxSkewMs: this.deps.maxClockSkewMs });
          if (!validated.ok)
            rejected.push({
              source: consumed.source,
              reason: `invalid report: ${validated.errors.map((e) => `${e.field} ${e.message}`).join('; ')}`,
            });
          else {
            const tooLarge = await this.submitWithin(client, validated.value, envelope);
            if (tooLarge) rejected.push({ source: consumed.source, reason: `event too large: ${tooLarge.message}` });
          }
          break;
        }
        case 'RunSubmitted':
        case 'ModelPromoted':
        case 'CanaryStarted':
        case 'CanaryTrafficChanged':
        case 'RolloutCompleted':
        case 'RolledBack':
        case 'DeploymentRetired':
        case 'OnlineMetricsReported':
        case 'AbTestConcluded':
        case 'OfflineOnlineDivergenceDetected':
        case 'RollbackRecommended':
        case 'DeploymentReportRejected':
        case 'ReproductionRecorded':
          break;
        default: {
          const unreachable: never = event;
          throw new Error(`unhandled ${String(unreachable)}`);
        }
      }
    }
    return rejected;
  }

  /**
   * Applies a report inside the batch's transaction; a report whose events would exceed
   * MAX_EVENT_BYTES leaves nothing behind (savepoint) and is returned for the dead-letter topic.
   */
  private async submitWithin(client: PoolClient, report: DeploymentReport, envelope: EventEnvelope): Promise<EventTooLargeError | null> {
    await client.query('SAVEPOINT report');
    try {
      await this.reports.submitIn(client, report, outsideOrigin(envelope), envelope.eventId);
    } catch (error) {
      if (!(error instanceof EventTooLargeError)) throw error;
      await client.query('ROLLBACK TO SAVEPOINT report');
      return error;
    }
    await client.query('RELEASE SAVEPOINT report');
    return null;
  }
}
