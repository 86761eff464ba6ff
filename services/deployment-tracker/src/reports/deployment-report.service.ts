import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { buildEnvelope, type EventOrigin, type RegistryEvent } from '@modelreg/events';
import {
  decideReport,
  evolvePlacement,
  isPlacementEvent,
  type DeploymentFact,
  type DeploymentRecord,
  type DeploymentReport,
  type OnlineContext,
  type PlacementState,
  type Rejection,
} from '@modelreg/deployments';
import { governingPolicy } from '@modelreg/gates';
import { canonicalJson } from '@modelreg/validation';
import { ensureEventsFit, eventMessage } from '@modelreg/kafka';
import { withTransaction, type PoolClient } from '@modelreg/postgres';
import type { DeploymentTrackerDependencies } from '../deployment-tracker-dependencies';
import { DEPLOYMENT_TRACKER_DEPENDENCIES } from '../deployment-tracker.constants';
import { deploymentStore } from '../state/deployment-store';

export interface AppendedEvent {
  type: string;
  eventId: string;
}

export type ReportOutcome =
  | { outcome: 'applied'; duplicate: boolean; events: AppendedEvent[] }
  | { outcome: 'rejected'; duplicate: boolean; rule: string; reason: string; events: AppendedEvent[] };

/**
 * Applies controller reports (HTTP and Kafka alike): one placement at a time (row lock), each
 * report once (by report id), every effect committed with its events. Refusals are recorded as
 * DeploymentReportRejected, so the log shows what was refused and why.
 */
@Injectable()
export class DeploymentReportService {
  constructor(@Inject(DEPLOYMENT_TRACKER_DEPENDENCIES) private readonly deps: DeploymentTrackerDependencies) {}

  submit(report: DeploymentReport, origin: EventOrigin, causationId: string | null = null): Promise<ReportOutcome> {
    return withTransaction(this.deps.pool, (client) => this.submitIn(client, report, origin, causationId));
  }

  async submitIn(client: PoolClient, report: DeploymentReport, origin: EventOrigin, causationId: string | null): Promise<ReportOutcome> {
    const previous = (
      await client.query('SELECT outcome, rule, reason, events FROM deployments.reports WHERE report_id = $1', [report.reportId])
    ).rows[0] as { outcome: 'applied' | 'rejected'; rule: string | null; reason: string | null; events: AppendedEvent[] } | undefined;
    if (previous) {
      return previous.outcome === 'applied'
        ? { outcome: 'applied', duplicate: true, events: previous.events }
        : { outcome: 'rejected', duplicate: true, rule: previous.rule ?? '', reason: previous.reason ?? '', events: previous.events };
    }
    const deployment = 'deploymentId' in report ? await deploymentStore.findDeployment(client, report.deploymentId) : null;
    const placementRef = deployment?.placement ?? ('placement' in report ? report.placement : null);
    if (!placementRef) {
      return this.reject(
        client,
        report,
        null,
        { rule: 'unknown-deployment', reason: `deployment ${(report as { deploymentId: string }).deploymentId} is not known` },
        origin,
        causationId,
      );
    }
    const placement = await deploymentStore.lockPlacement(client, placementRef);
    const versions = await deploymentStore.versionFacts(
      client,
      placementRef.modelName,
      namedVersions(report, deployment, placement),
      this.deps.decisionTrust,
    );
    const primaryEventId = randomUUID();
    const online = report.kind === 'ONLINE_METRICS' ? await this.onlineContext(client, placement, primaryEventId) : null;
    const decision = decideReport(report, { deployment: deployment ? { ...deployment } : null, placement, versions, online });
    if (!decision.accepted) return this.reject(client, report, deployment, decision.rejection, origin, causationId);
    const events = decision.facts.map((fact, index) =>
      this.wrap(fact, index === 0 ? primaryEventId : randomUUID(), index === 0 ? report.reportedAt : Date.now(), origin, causationId),
    );
    const messages = this.fitting(events);
    await this.applyFacts(client, decision.facts, placement);
    await this.deps.relay.enqueue(client, messages);
    const appended = events.map((event) => ({ type: event.type, eventId: event.data.envelope.eventId }));
    await client.query("INSERT INTO deployments.reports (report_id, kind, outcome, events) VALUES ($1, $2, 'applied', $3)", [
      report.reportId,
      report.kind,
      JSON.stringify(appended),
    ]);
    return { outcome: 'applied', duplicate: false, events: appended };
  }

  /** Folds the facts into the placement's state and stores it; online metrics are kept for guardrails. */
  private async applyFacts(client: PoolClient, facts: DeploymentFact[], placement: PlacementState): Promise<void> {
    let state = placement;
    for (const fact of facts) {
      if (fact.type === 'OnlineMetricsReported') {
        const { modelName, service, surface, environment } = fact.data;
        await deploymentStore.saveOnlineMetrics(
          client,
          { modelName, service, surface, environment },
          fact.data.modelVersion,
          fact.data.windowEnd,
          fact.data.metrics,
        );
      }
      if (isPlacementEvent(fact)) state = evolvePlacement(state, fact);
    }
    await deploymentStore.savePlacement(client, placement, state);
  }

  private async reject(
    client: PoolClient,
    report: DeploymentReport,
    deployment: DeploymentRecord | null,
    rejection: Rejection,
    origin: EventOrigin,
    causationId: string | null,
  ): Promise<ReportOutcome> {
    const modelName = deployment?.placement.modelName ?? ('placement' in report ? report.placement.modelName : 'unknown');
    const modelVersion = deployment?.modelVersion ?? ('modelVersion' in report ? report.modelVersion : null);
    const eventId = randomUUID();
    const event: RegistryEvent = {
      type: 'DeploymentReportRejected',
      data: {
        envelope: buildEnvelope('DeploymentReportRejected', {
          eventId,
          occurredAt: Date.now(),
          producer: this.deps.producer,
          ...origin,
          causationId,
          modelName,
          modelVersion,
        }),
        reportId: report.reportId,
        kind: report.kind,
        deploymentId: 'deploymentId' in report ? report.deploymentId : null,
        modelName,
        modelVersion,
        rule: rejection.rule,
        reason: rejection.reason,
        report: canonicalJson(report),
      },
    };
    await this.deps.relay.enqueue(client, this.fitting([event]));
    const events = [{ type: event.type, eventId }];
    await client.query(
      "INSERT INTO deployments.reports (report_id, kind, outcome, rule, reason, events) VALUES ($1, $2, 'rejected', $3, $4, $5)",
      [report.reportId, report.kind, rejection.rule, rejection.reason, JSON.stringify(events)],
    );
    return { outcome: 'rejected', duplicate: false, rule: rejection.rule, reason: rejection.reason, events };
  }

  /** The events encoded, once each is known to fit in MAX_EVENT_BYTES (else EventTooLargeError: the caller rolls back). */
  private fitting(events: RegistryEvent[]) {
    return ensureEventsFit(
      events.map((event) => eventMessage(this.deps.codec, this.deps.topics, event)),
      this.deps.maxEventBytes,
    );
  }

  private wrap(fact: DeploymentFact, eventId: string, occurredAt: number, origin: EventOrigin, causationId: string | null): RegistryEvent {
    const modelVersion =
      'modelVersion' in fact.data
        ? fact.data.modelVersion
        : 'fromVersion' in fact.data
          ? fact.data.fromVersion
          : 'treatmentVersion' in fact.data
            ? fact.data.treatmentVersion
            : null;
    const envelope = buildEnvelope(fact.type, {
      eventId,
      occurredAt,
      producer: this.deps.producer,
      ...origin,
      causationId,
      modelName: fact.data.modelName,
      modelVersion,
    });
    return { type: fact.type, data: { ...fact.data, envelope } } as RegistryEvent;
  }

  /**
   * What judging online metrics needs, loaded only for those reports: the guardrails of the policy
   * governing the model (as the gate validator publishes them) and the latest online metrics of
   * the baselines of the canaries running on the placement.
   */
  private async onlineContext(client: PoolClient, placement: PlacementState, primaryEventId: string): Promise<OnlineContext> {
    const policy = governingPolicy(placement.placement.modelName, await deploymentStore.latestPolicies(client));
    const baselineVersions = placement.deployments
      .filter((record) => record.status === 'CANARY' && record.baselineVersion !== null)
      .map((record) => record.baselineVersion as number);
    return {
      policy: { policyId: policy.policyId, policyVersion: policy.version, guardrails: policy.guardrails, tolerance: policy.tolerance },
      baselineOnline: await deploymentStore.latestOnlineMetrics(client, placement.placement, baselineVersions),
      primaryEventId,
    };
  }
}

/** Versions whose facts a decision may need. */
function namedVersions(report: DeploymentReport, deployment: DeploymentRecord | null, placement: PlacementState): number[] {
  const versions = new Set<number>(placement.servedVersions);
  if (deployment) versions.add(deployment.modelVersion);
  if ('modelVersion' in report) versions.add(report.modelVersion);
  if (report.kind === 'ROLLED_BACK') versions.add(report.toVersion);
  if (report.kind === 'AB_TEST_CONCLUDED') {
    versions.add(report.controlVersion);
    versions.add(report.treatmentVersion);
  }
  return [...versions];
}
