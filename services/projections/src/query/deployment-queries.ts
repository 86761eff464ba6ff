import type { Pool } from '@modelreg/postgres';
import type { Page } from './model-queries';

/** What is deployed where, and how it got there. */
export class DeploymentQueries {
  constructor(private readonly pool: Pool) {}

  /** For each service and surface: the serving version and since when, and the running canaries with their traffic. */
  async currentlyDeployed(filter: { modelName?: string; service?: string; environment?: string }) {
    const rows = await this.pool.query(
      `SELECT p.model_name AS "modelName", p.environment, p.service, p.surface, p.serving_version AS "servingVersion", p.serving_deployment_id AS "servingDeploymentId", p.serving_since AS "servingSince", p.served_versions AS "servedVersions",
              coalesce(json_agg(json_build_object('deploymentId', d.deployment_id, 'modelVersion', d.model_version, 'trafficPercent', d.traffic_percent, 'baselineVersion', d.baseline_version, 'since', d.started_at)
                                ORDER BY d.deployment_id) FILTER (WHERE d.deployment_id IS NOT NULL), '[]') AS canaries
         FROM projections.placements p
         LEFT JOIN projections.deployments d ON d.model_name = p.model_name AND d.environment = p.environment AND d.service = p.service AND d.surface = p.surface AND d.status = 'CANARY'
        WHERE ($1::text IS NULL OR p.model_name = $1) AND ($2::text IS NULL OR p.service = $2) AND ($3::text IS NULL OR p.environment = $3)
        GROUP BY p.model_name, p.environment, p.service, p.surface
        ORDER BY p.environment, p.service, p.surface, p.model_name`,
      [filter.modelName ?? null, filter.service ?? null, filter.environment ?? null],
    );
    return rows.rows;
  }

  async timeline(modelName: string, page: Page) {
    const rows = await this.pool.query(
      `SELECT event_id AS "eventId", occurred_at AS "occurredAt", event_type AS "eventType", model_version AS "modelVersion", deployment_id AS "deploymentId", environment, service, surface, details
         FROM projections.deployment_timeline WHERE model_name = $1 ORDER BY occurred_at, event_id LIMIT $2 OFFSET $3`,
      [modelName, page.limit, page.offset],
    );
    return rows.rows;
  }
}
