import { runBody } from '../e2e/registry-client';
import { artifactBytes, call, postJson, putArtifact, retryUntil, type Answer } from './registry-calls';

/** A registration the registry acknowledged (201 new, 200 the same run again), with the event it promised. */
export interface AcknowledgedRegistration {
  modelName: string;
  trainingRunId: string;
  modelVersion: number;
  eventId: string;
  at: number;
}

/** A deployment report the registry acknowledged: applied (2xx) or refused and recorded (404/409 listing its events). */
export interface AcknowledgedReport {
  reportId: string;
  kind: string;
  status: number;
  events: Array<{ type: string; eventId: string }>;
  at: number;
}

export interface LoadFigures {
  registrationsAttempted: number;
  registrationsAcknowledged: number;
  reportsAttempted: number;
  reportsAcknowledged: number;
  /** Writes still without an acknowledgement when the load's deadline passed (never counted as acknowledged). */
  unacknowledged: number;
  /** Answers other than an acknowledgement, by status (0: no answer); 5xx and no answer are retried. */
  failedAttempts: Record<string, number>;
  /** Valid writes the registry refused with a 4xx (not retried): what, status and answer. */
  refused: string[];
  queriesOk: number;
  queriesFailed: number;
}

/** Where each service answers: one base URL, or the instances of a service, taken in turn as a load balancer would. */
export type Endpoint = string | readonly string[];

export interface LoadTargets {
  ingestion: Endpoint;
  gateValidator: Endpoint;
  deploymentTracker: Endpoint;
  projections: Endpoint;
}

/** The policy the load's models are gated by: value checks only, so every version passes and can be deployed. */
export const CHAOS_POLICY = {
  policyId: 'chaos',
  version: 1,
  description: 'Fault suite: value checks only, every chaos-* version can be deployed.',
  models: ['chaos-m*'],
  checks: [{ id: 'p99-latency', kind: 'operational', metric: 'p99_latency_ms', targets: 'all-artifact-targets', bound: { below: 100 } }],
  guardrails: { canary: [{ metric: 'p99_latency_ms', bound: { below: 100 } }], offlineOnlineTolerance: {} },
};

const isAcknowledgedRegistration = (answer: Answer) => answer.status === 200 || answer.status === 201;
const isAcknowledgedReport = (answer: Answer) =>
  (answer.status >= 200 && answer.status < 300) ||
  ((answer.status === 404 || answer.status === 409) && Array.isArray(answer.body['events']));
/** A client retries when there was no answer, a 5xx or a 429; any other answer is final. */
const isFinal = (answer: Answer) => answer.status !== 0 && answer.status !== 429 && answer.status < 500;

/**
 * Steady load from a well-behaved client: registrations (artifacts uploaded first), deployment
 * reports (canary, traffic, online metrics, rollout on one surface per model) and queries, at a
 * bounded pace, to 127.0.0.1 only. Every write is retried with the same ids until acknowledged,
 * and every acknowledgement is recorded with the event ids it promised.
 */
export class SteadyLoad {
  readonly registrations: AcknowledgedRegistration[] = [];
  readonly reports: AcknowledgedReport[] = [];
  private readonly figures: LoadFigures = {
    registrationsAttempted: 0,
    registrationsAcknowledged: 0,
    reportsAttempted: 0,
    reportsAcknowledged: 0,
    unacknowledged: 0,
    failedAttempts: {},
    refused: [],
    queriesOk: 0,
    queriesFailed: 0,
  };
  private stopping = false;
  /** Until when an unacknowledged write is still retried: open while running, bounded once stopping. */
  private retryDeadline = Number.MAX_SAFE_INTEGER;
  private workers: Array<Promise<void>> = [];
  private readonly deployed = new Map<string, number>();
  private nextRegistration = 0;
  private calls = 0;
  /** The latest answer that was not an acknowledgement, for the record of a recovery that did not come. */
  lastFailure = 'none';

  constructor(
    private readonly targets: LoadTargets,
    readonly models: string[],
    /**
     * `registrationWorkers` (default 1): registrations in flight at once, so several instances assign one
     * model's versions concurrently.
     */
    private readonly pace: { registrationEveryMs: number; queryEveryMs: number; registrationWorkers?: number },
  ) {}

  start(): void {
    const registrations = Array.from({ length: this.pace.registrationWorkers ?? 1 }, () => this.registrationWorker());
    this.workers = [...registrations, this.deploymentWorker(), this.queryWorker()];
  }

  /** The next base URL of `service`: each call (a retry too) goes to the next instance. */
  private url(service: keyof LoadTargets): string {
    const endpoint = this.targets[service];
    if (typeof endpoint === 'string') return endpoint;
    this.calls += 1;
    return endpoint[this.calls % endpoint.length] as string;
  }

  /** Stops starting new writes; writes in flight are retried for at most `graceMs` more. */
  async stop(graceMs: number): Promise<LoadFigures> {
    this.stopping = true;
    this.retryDeadline = Date.now() + graceMs;
    await Promise.all(this.workers);
    return { ...this.figures, failedAttempts: { ...this.figures.failedAttempts }, refused: [...this.figures.refused] };
  }

  /** The first registration acknowledged at or after `since`, if any. */
  acknowledgedSince(since: number): AcknowledgedRegistration | undefined {
    return this.registrations.find((registration) => registration.at >= since);
  }

  /** One write, retried as a client would; null (and counted) when refused or still unacknowledged at the deadline. */
  private async write(what: string, attempt: () => Promise<Answer>, acknowledged: (answer: Answer) => boolean): Promise<Answer | null> {
    const answer = await retryUntil(
      attempt,
      (a) => acknowledged(a) || isFinal(a),
      this.retryDeadline,
      (a) => {
        if (acknowledged(a)) return;
        const key = String(a.status);
        this.figures.failedAttempts[key] = (this.figures.failedAttempts[key] ?? 0) + 1;
        this.lastFailure = `${what}: ${a.status === 0 ? 'no answer' : `${a.status} ${JSON.stringify(a.body).slice(0, 300)}`}`;
      },
    );
    if (answer && acknowledged(answer)) return answer;
    if (answer) this.figures.refused.push(this.lastFailure);
    else this.figures.unacknowledged += 1;
    return null;
  }

  private async registrationWorker(): Promise<void> {
    while (!this.stopping) {
      const index = this.nextRegistration++;
      const started = Date.now();
      const modelName = this.models[index % this.models.length] as string;
      await this.register(modelName, `${modelName}-run-${index}`);
      await sleep(Math.max(0, this.pace.registrationEveryMs - (Date.now() - started)));
    }
  }

  private async register(modelName: string, trainingRunId: string): Promise<void> {
    this.figures.registrationsAttempted += 1;
    const server = artifactBytes(2048);
    const mobile = artifactBytes(1024);
    for (const artifact of [server, mobile]) {
      const stored = await this.write(
        `PUT /v1/artifacts/${artifact.sha256}`,
        () => putArtifact(this.url('ingestion'), artifact),
        isAcknowledgedRegistration,
      );
      if (!stored) return;
    }
    const body = runBody(modelName, trainingRunId, { server, mobile }, { auc: 0.9 });
    const answer = await this.write(
      `POST /v1/runs ${trainingRunId}`,
      () => postJson(`${this.url('ingestion')}/v1/runs`, body),
      isAcknowledgedRegistration,
    );
    if (!answer) return;
    this.figures.registrationsAcknowledged += 1;
    this.registrations.push({
      modelName,
      trainingRunId,
      modelVersion: answer.body['modelVersion'] as number,
      eventId: answer.body['eventId'] as string,
      at: Date.now(),
    });
  }

  /** Per model, the latest acknowledged version whose gate passed goes through canary, traffic, online metrics and rollout. */
  private async deploymentWorker(): Promise<void> {
    while (!this.stopping) {
      for (const modelName of this.models) {
        if (this.stopping) break;
        const latest = this.registrations.filter((r) => r.modelName === modelName).at(-1);
        if (!latest || latest.modelVersion <= (this.deployed.get(modelName) ?? 0)) continue;
        const decisions = await call(`${this.url('gateValidator')}/v1/models/${modelName}/versions/${latest.modelVersion}/decisions`);
        if (decisions.body['items']?.[0]?.verdict !== 'PASSED') continue;
        this.deployed.set(modelName, latest.modelVersion);
        await this.deploy(modelName, latest.modelVersion);
      }
      await sleep(200);
    }
  }

  private async deploy(modelName: string, modelVersion: number): Promise<void> {
    const deploymentId = `${modelName}-d${modelVersion}`;
    const where = { modelName, service: 'scoring', surface: 'checkout', environment: 'production' };
    const started = await this.report({ kind: 'CANARY_STARTED', deploymentId, ...where, modelVersion, trafficPercent: 10 });
    if (started?.status !== 201 && started?.status !== 200) return;
    await this.report({ kind: 'CANARY_TRAFFIC_CHANGED', deploymentId, trafficPercent: 50 });
    const windowEnd = new Date(Date.now() - 1000).toISOString();
    await this.report({
      kind: 'ONLINE_METRICS',
      ...where,
      modelVersion,
      windowStart: new Date(Date.now() - 60_000).toISOString(),
      windowEnd,
      metrics: { p99_latency_ms: 40 },
    });
    await this.report({ kind: 'ROLLOUT_COMPLETED', deploymentId });
  }

  private async report(fields: Record<string, unknown>): Promise<AcknowledgedReport | null> {
    this.figures.reportsAttempted += 1;
    const reportId = `${String(fields['deploymentId'] ?? fields['modelName'])}-${String(fields['kind']).toLowerCase()}-${Date.now()}`;
    const body = { ...fields, reportId, reportedAt: new Date().toISOString() };
    const answer = await this.write(
      `POST /v1/deployments/reports ${reportId}`,
      () => postJson(`${this.url('deploymentTracker')}/v1/deployments/reports`, body),
      isAcknowledgedReport,
    );
    if (!answer) return null;
    this.figures.reportsAcknowledged += 1;
    const acknowledged = {
      reportId,
      kind: String(fields['kind']),
      status: answer.status,
      events: answer.body['events'] as AcknowledgedReport['events'],
      at: Date.now(),
    };
    this.reports.push(acknowledged);
    return acknowledged;
  }

  private async queryWorker(): Promise<void> {
    for (let index = 0; !this.stopping; index += 1) {
      const modelName = this.models[index % this.models.length] as string;
      const urls = [
        `${this.url('projections')}/v1/models?limit=10`,
        `${this.url('projections')}/v1/models/${modelName}/versions`,
        `${this.url('deploymentTracker')}/v1/deployments/placements?modelName=${modelName}`,
      ];
      const answer = await call(urls[index % urls.length] as string, {}, 5000);
      if (answer.status === 200) this.figures.queriesOk += 1;
      else this.figures.queriesFailed += 1;
      await sleep(this.pace.queryEveryMs);
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
