import type {
  AbTestConcluded,
  CanaryStarted,
  CanaryTrafficChanged,
  DeploymentRetired,
  OfflineOnlineDivergenceDetected,
  OnlineMetricsReported,
  RollbackRecommended,
  RolledBack,
  RolloutCompleted,
} from '@modelreg/events';
import { compareDeviation, compareWithBound, formatNumber, type CanaryGuardrail, type Deviation, type Guardrails } from '@modelreg/gates';
import type { DeploymentReport } from './deployment-report';
import type { DeploymentRecord, PlacementState, VersionFacts } from './deployment-state';
import { verdictOn } from './promotion';

type WithoutEnvelope<T> = Omit<T, 'envelope'>;

/** Events a report leads to, before the adapter wraps them in envelopes. */
export type DeploymentFact =
  | { type: 'CanaryStarted'; data: WithoutEnvelope<CanaryStarted> }
  | { type: 'CanaryTrafficChanged'; data: WithoutEnvelope<CanaryTrafficChanged> }
  | { type: 'RolloutCompleted'; data: WithoutEnvelope<RolloutCompleted> }
  | { type: 'RolledBack'; data: WithoutEnvelope<RolledBack> }
  | { type: 'DeploymentRetired'; data: WithoutEnvelope<DeploymentRetired> }
  | { type: 'OnlineMetricsReported'; data: WithoutEnvelope<OnlineMetricsReported> }
  | { type: 'AbTestConcluded'; data: WithoutEnvelope<AbTestConcluded> }
  | { type: 'OfflineOnlineDivergenceDetected'; data: WithoutEnvelope<OfflineOnlineDivergenceDetected> }
  | { type: 'RollbackRecommended'; data: WithoutEnvelope<RollbackRecommended> };

/** Why a report was refused: a rule, and a sentence. Recorded as DeploymentReportRejected. */
export interface Rejection {
  rule:
    | 'unknown-version'
    | 'unknown-deployment'
    | 'gate-not-passed'
    | 'duplicate-deployment'
    | 'canary-at-full-traffic'
    | 'already-serving'
    | 'not-a-running-canary'
    | 'not-active'
    | 'not-served-before'
    | 'retired'
    | 'out-of-order';
  reason: string;
}

export type ReportDecision = { accepted: true; facts: DeploymentFact[] } | { accepted: false; rejection: Rejection };

export interface ReportContext {
  /** The deployment the report is about (reports by deployment id), if known. */
  deployment: DeploymentRecord | null;
  /** The placement concerned: of the deployment, or named in the report. */
  placement: PlacementState;
  /** Facts of every version the report names. */
  versions: ReadonlyMap<number, VersionFacts>;
  /** What judging online metrics needs; only ONLINE_METRICS reports use it, so adapters load it only for them. */
  online: OnlineContext | null;
}

export interface OnlineContext {
  /** Guardrails of the policy governing the model. */
  policy: { policyId: string; policyVersion: number; guardrails: Guardrails; tolerance: number };
  /** Latest online metrics of the baseline version of each canary running on the placement. */
  baselineOnline: ReadonlyMap<number, Record<string, number>>;
  /** Event id the adapter gives the OnlineMetricsReported event; evidence refers to it. */
  primaryEventId: string;
}

const reject = (rule: Rejection['rule'], reason: string): ReportDecision => ({ accepted: false, rejection: { rule, reason } });

/**
 * The deployment rules as a pure function of a report and what is known. Refusals are values
 * (recorded as events by the adapter), never exceptions.
 */
export function decideReport(report: DeploymentReport, context: ReportContext): ReportDecision {
  const { deployment, placement } = context;
  if (report.kind !== 'CANARY_STARTED' && 'deploymentId' in report) {
    if (!deployment) return reject('unknown-deployment', `deployment ${report.deploymentId} is not known`);
    if (deployment.status === 'RETIRED')
      return reject('retired', `deployment ${deployment.deploymentId} was retired; reports about it are not applied`);
    if (report.reportedAt < deployment.lastReportAt) {
      return reject(
        'out-of-order',
        `reported at ${new Date(report.reportedAt).toISOString()}, ` +
          `before the deployment's last applied report at ${new Date(deployment.lastReportAt).toISOString()}`,
      );
    }
  }
  const where = (record: DeploymentRecord) => ({ deploymentId: record.deploymentId, ...record.placement });
  switch (report.kind) {
    case 'CANARY_STARTED': {
      if (deployment)
        return reject(
          'duplicate-deployment',
          `deployment ${report.deploymentId} already exists (${deployment.status} of v${deployment.modelVersion})`,
        );
      const version = context.versions.get(report.modelVersion);
      if (!version?.registered) return reject('unknown-version', `${report.placement.modelName} v${report.modelVersion} is not registered`);
      const verdict = verdictOn(version, report.placement);
      if (verdict !== 'PASSED') {
        return reject(
          'gate-not-passed',
          `${report.placement.modelName} v${report.modelVersion} has ` +
            `${verdict === null ? 'no gate decision yet' : `failed its latest gate decision on ${describe(report.placement)}`}; ` +
            'a canary needs a passed gate',
        );
      }
      if (report.trafficPercent >= 100)
        return reject('canary-at-full-traffic', 'a canary takes less than 100% of traffic; report ROLLOUT_COMPLETED to serve 100%');
      if (placement.servingVersion === report.modelVersion)
        return reject('already-serving', `v${report.modelVersion} already serves ${describe(report.placement)}`);
      const baselineVersion = report.baselineVersion ?? placement.servingVersion;
      return {
        accepted: true,
        facts: [
          {
            type: 'CanaryStarted',
            data: {
              deploymentId: report.deploymentId,
              ...report.placement,
              modelVersion: report.modelVersion,
              trafficPercent: report.trafficPercent,
              baselineVersion,
              startedAt: report.reportedAt,
            },
          },
        ],
      };
    }
    case 'CANARY_TRAFFIC_CHANGED': {
      const record = deployment as DeploymentRecord;
      if (record.status !== 'CANARY')
        return reject('not-a-running-canary', `deployment ${record.deploymentId} is ${record.status}, not a running canary`);
      if (report.trafficPercent >= 100)
        return reject('canary-at-full-traffic', 'a canary takes less than 100% of traffic; report ROLLOUT_COMPLETED to serve 100%');
      return {
        accepted: true,
        facts: [
          {
            type: 'CanaryTrafficChanged',
            data: {
              ...where(record),
              modelVersion: record.modelVersion,
              fromPercent: record.trafficPercent,
              toPercent: report.trafficPercent,
              changedAt: report.reportedAt,
            },
          },
        ],
      };
    }
    case 'ROLLOUT_COMPLETED': {
      const record = deployment as DeploymentRecord;
      if (record.status !== 'CANARY')
        return reject(
          'not-a-running-canary',
          `a rollout completes only from a running canary; deployment ${record.deploymentId} is ${record.status}`,
        );
      return {
        accepted: true,
        facts: [
          {
            type: 'RolloutCompleted',
            data: {
              ...where(record),
              modelVersion: record.modelVersion,
              previousVersion: placement.servingVersion,
              completedAt: report.reportedAt,
            },
          },
        ],
      };
    }
    case 'ROLLED_BACK': {
      const record = deployment as DeploymentRecord;
      if (record.status !== 'CANARY' && record.status !== 'SERVING')
        return reject(
          'not-active',
          `deployment ${record.deploymentId} is ${record.status}; only a canary or a serving deployment can be rolled back`,
        );
      if (report.toVersion === record.modelVersion || !placement.servedVersions.includes(report.toVersion)) {
        return reject(
          'not-served-before',
          `v${report.toVersion} never served ${describe(record.placement)}; a rollback restores a version that served it before`,
        );
      }
      return {
        accepted: true,
        facts: [
          {
            type: 'RolledBack',
            data: {
              ...where(record),
              fromVersion: record.modelVersion,
              toVersion: report.toVersion,
              reason: report.reason,
              triggerMetric: report.triggerMetric,
              triggerValue: report.triggerValue,
              rolledBackAt: report.reportedAt,
            },
          },
        ],
      };
    }
    case 'DEPLOYMENT_RETIRED': {
      const record = deployment as DeploymentRecord;
      return {
        accepted: true,
        facts: [
          {
            type: 'DeploymentRetired',
            data: { ...where(record), modelVersion: record.modelVersion, reason: report.reason, retiredAt: report.reportedAt },
          },
        ],
      };
    }
    case 'ONLINE_METRICS': {
      const version = context.versions.get(report.modelVersion);
      if (!version?.registered) return reject('unknown-version', `${report.placement.modelName} v${report.modelVersion} is not registered`);
      if (!context.online) throw new Error('an ONLINE_METRICS report is decided with its online context');
      const reported: DeploymentFact = {
        type: 'OnlineMetricsReported',
        data: {
          ...report.placement,
          modelVersion: report.modelVersion,
          windowStart: report.windowStart,
          windowEnd: report.windowEnd,
          metrics: report.metrics,
        },
      };
      return {
        accepted: true,
        facts: [
          reported,
          ...detectDivergence(report, version, context.online),
          ...checkCanaryGuardrails(report, placement, context.online),
        ],
      };
    }
    case 'AB_TEST_CONCLUDED': {
      for (const version of [report.controlVersion, report.treatmentVersion]) {
        if (!context.versions.get(version)?.registered)
          return reject('unknown-version', `${report.placement.modelName} v${version} is not registered`);
      }
      return {
        accepted: true,
        facts: [
          {
            type: 'AbTestConcluded',
            data: {
              testId: report.testId,
              ...report.placement,
              controlVersion: report.controlVersion,
              treatmentVersion: report.treatmentVersion,
              results: report.results,
              decision: report.decision,
              concludedAt: report.reportedAt,
            },
          },
        ],
      };
    }
    default: {
      const unreachable: never = report;
      throw new Error(`unhandled ${String(unreachable)}`);
    }
  }
}

/**
 * Offline metrics can lie: an online value further from the offline one (either way) than the
 * policy's tolerance for that metric allows is reported, with the allowance it breached.
 */
function detectDivergence(
  report: Extract<DeploymentReport, { kind: 'ONLINE_METRICS' }>,
  version: VersionFacts,
  context: OnlineContext,
): DeploymentFact[] {
  const facts: DeploymentFact[] = [];
  for (const [metric, tolerance] of Object.entries(context.policy.guardrails.offlineOnlineTolerance).sort(([a], [b]) => (a < b ? -1 : 1))) {
    const online = report.metrics[metric];
    const offline = version.offlineMetrics[metric];
    if (online === undefined || offline === undefined) continue;
    const deviation: Deviation = typeof tolerance === 'number' ? { absolute: tolerance } : tolerance;
    const comparison = compareDeviation(Math.abs(online - offline), offline, deviation, context.policy.tolerance);
    if (comparison.breached) {
      facts.push({
        type: 'OfflineOnlineDivergenceDetected',
        data: {
          ...report.placement,
          modelVersion: report.modelVersion,
          metric,
          offlineValue: offline,
          onlineValue: online,
          tolerance: comparison.allowance,
          policyId: context.policy.policyId,
          policyVersion: context.policy.policyVersion,
          onlineMetricsEventId: context.primaryEventId,
        },
      });
    }
  }
  return facts;
}

/** A canary's online metrics against the policy's guardrails: absolute bounds, and regressions against its baseline's online metrics. */
function checkCanaryGuardrails(
  report: Extract<DeploymentReport, { kind: 'ONLINE_METRICS' }>,
  placement: PlacementState,
  context: OnlineContext,
): DeploymentFact[] {
  const facts: DeploymentFact[] = [];
  for (const canary of placement.deployments.filter(
    (record) => record.status === 'CANARY' && record.modelVersion === report.modelVersion,
  )) {
    const baseline = canary.baselineVersion === null ? undefined : context.baselineOnline.get(canary.baselineVersion);
    for (const guardrail of context.policy.guardrails.canary) {
      const value = report.metrics[guardrail.metric];
      if (value === undefined) continue;
      const evidence = {
        deploymentId: canary.deploymentId,
        ...canary.placement,
        modelVersion: canary.modelVersion,
        baselineVersion: canary.baselineVersion,
        metric: guardrail.metric,
        canaryValue: value,
        policyId: context.policy.policyId,
        policyVersion: context.policy.policyVersion,
        onlineMetricsEventId: context.primaryEventId,
      };
      if (guardrail.bound) {
        const comparison = compareWithBound(value, guardrail.bound, context.policy.tolerance);
        if (!comparison.passed)
          facts.push({
            type: 'RollbackRecommended',
            data: {
              ...evidence,
              baselineValue: baseline?.[guardrail.metric] ?? null,
              guardrail: `${guardrail.metric} ${comparison.comparator}`,
            },
          });
      }
      const baselineValue = baseline?.[guardrail.metric];
      const allowed = allowedRegression(guardrail);
      if (allowed && baselineValue !== undefined) {
        const regression = allowed.direction === 'higher' ? baselineValue - value : value - baselineValue;
        const comparison = compareDeviation(regression, baselineValue, allowed.deviation, context.policy.tolerance);
        if (comparison.breached) {
          const change = allowed.direction === 'higher' ? 'drop' : 'rise';
          facts.push({
            type: 'RollbackRecommended',
            data: {
              ...evidence,
              baselineValue,
              guardrail: `${guardrail.metric} ${change} vs baseline ${comparison.comparator} (was ${formatNumber(regression)})`,
            },
          });
        }
      }
    }
  }
  return facts;
}

/** The regression a guardrail allows: `maxRegression` with its direction, or the earlier `maxRelativeDrop`. */
function allowedRegression(guardrail: CanaryGuardrail): { deviation: Deviation; direction: 'higher' | 'lower' } | null {
  if (guardrail.maxRegression) return { deviation: guardrail.maxRegression, direction: guardrail.direction ?? 'higher' };
  if (guardrail.maxRelativeDrop !== undefined) return { deviation: { relative: guardrail.maxRelativeDrop }, direction: 'higher' };
  return null;
}

function describe(placement: { service: string; surface: string; environment: string }): string {
  return `${placement.service}/${placement.surface} in ${placement.environment}`;
}
