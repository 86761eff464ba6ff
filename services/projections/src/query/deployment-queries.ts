import type { Pool } from '@modelreg/postgres';
import type { Page } from './model-queries';

export interface TimelineFilter {
  order: 'asc' | 'desc';
  /** null: every event type. */
  eventTypes: string[] | null;
  /** Refused controller reports (DeploymentReportRejected); the dashboard hides them by default. */
  includeRejected: boolean;
}

/** What is deployed where, and how it got there. */
export class DeploymentQueries {
  constructor(private readonly pool: Pool) {}

  /** For each service and surface: the serving version and since when, and the running canaries with their traffic. */
  async currentlyDeployed(filter: { modelName?: string; service?: string; environment?: string }) {
    const rows = await this.pool.query(
      `SELECT p.model_name AS "modelName", p.environment, p.service, p.surface, p.serving_version AS "servingVersion",
        p.serving_deployment_id AS "servingDeploymentId", p.serving_since AS "servingSince", p.served_versions AS "servedVersions",
             coalesce(json_agg(json_build_object('deploymentId', d.deployment_id, 'modelVersion', d.model_version,
                                                 'trafficPercent', d.traffic_percent, 'baselineVersion', d.baseline_version,
                                                 'since', d.started_at)
                                ORDER BY d.deployment_id) FILTER (WHERE d.deployment_id IS NOT NULL), '[]') AS canaries
         FROM projections.placements p
         LEFT JOIN projections.deployments d ON d.model_name = p.model_name AND d.environment = p.environment
           AND d.service = p.service AND d.surface = p.surface AND d.status = 'CANARY'
        WHERE ($1::text IS NULL OR p.model_name = $1) AND ($2::text IS NULL OR p.service = $2) AND ($3::text IS NULL OR p.environment = $3)
        GROUP BY p.model_name, p.environment, p.service, p.surface
        ORDER BY p.environment, p.service, p.surface, p.model_name`,
      [filter.modelName ?? null, filter.service ?? null, filter.environment ?? null],
    );
    return rows.rows;
  }

  /** A model's deployment timeline, oldest or newest first, optionally only some event types. */
  async timeline(modelName: string, page: Page, filter: TimelineFilter = { order: 'asc', eventTypes: null, includeRejected: true }) {
    const direction = filter.order === 'desc' ? 'DESC' : 'ASC';
    const where = `model_name = $1 AND ($2::text[] IS NULL OR event_type = ANY($2)) AND ($3 OR event_type <> 'DeploymentReportRejected')`;
    const params = [modelName, filter.eventTypes, filter.includeRejected];
    const [rows, total] = await Promise.all([
      this.pool.query(
        `SELECT event_id AS "eventId", occurred_at AS "occurredAt", event_type AS "eventType",
                model_version AS "modelVersion", deployment_id AS "deploymentId", environment, service, surface, details,
                principal, request_id AS "requestId"
           FROM projections.deployment_timeline WHERE ${where} ORDER BY occurred_at ${direction}, event_id ${direction} LIMIT $4 OFFSET $5`,
        [...params, page.limit, page.offset],
      ),
      this.pool.query(`SELECT count(*)::int AS n FROM projections.deployment_timeline WHERE ${where}`, params),
    ]);
    return { items: rows.rows, total: (total.rows[0] as { n: number }).n };
  }

  /** Across every model, newest first: gate failures, rollbacks and the events the registry recorded. */
  async overview(limit: number) {
    const [failures, rollbacks, activity] = await Promise.all([
      this.pool.query(
        `SELECT model_name AS "modelName", model_version AS "modelVersion", decided_at AS "decidedAt",
                baseline_version AS "baselineVersion", policy_id AS "policyId",
                (SELECT coalesce(json_agg(c->>'checkId'), '[]') FROM jsonb_array_elements(checks) c
                  WHERE c->>'outcome' = 'FAILED') AS "failedChecks"
           FROM projections.gate_decisions WHERE verdict = 'FAILED' ORDER BY decided_at DESC, event_id DESC LIMIT $1`,
        [limit],
      ),
      this.pool.query(
        `SELECT model_name AS "modelName", model_version AS "modelVersion", occurred_at AS "occurredAt",
                environment, service, surface, details
           FROM projections.deployment_timeline WHERE event_type = 'RolledBack' ORDER BY occurred_at DESC, event_id DESC LIMIT $1`,
        [limit],
      ),
      this.pool.query(
        `SELECT event_type AS "eventType", model_name AS "modelName", model_version AS "modelVersion",
                occurred_at AS "occurredAt", logged_at AS "loggedAt"
           FROM projections.event_index ORDER BY logged_at DESC, event_id DESC LIMIT $1`,
        [limit],
      ),
    ]);
    return { recentGateFailures: failures.rows, recentRollbacks: rollbacks.rows, recentActivity: activity.rows };
  }
}
