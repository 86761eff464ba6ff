import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { PLACEMENT_NAME_HINT, PLACEMENT_NAME_PATTERN } from '@modelreg/deployments';
import { badRequest, notFound, parseModelName } from '@modelreg/service-runtime';
import type { DeploymentTrackerDependencies } from '../deployment-tracker-dependencies';
import { DEPLOYMENT_TRACKER_DEPENDENCIES } from '../deployment-tracker.constants';


@ApiTags('state')
@Controller('v1/deployments')
export class PlacementsController {
  constructor(@Inject(DEPLOYMENT_TRACKER_DEPENDENCIES) private readonly deps: DeploymentTrackerDependencies) {}

  @Get('placements')
  @ApiOperation({ summary: "What serves each surface of a model now: the serving version (100%) since when, and the running canaries with their traffic." })
  @ApiQuery({ name: 'modelName', required: true })
  @ApiQuery({ name: 'environment', required: false })
  async placements(@Query('modelName') modelNameParam: string | undefined, @Query('environment') environment: string | undefined) {
    const modelName = parseModelName(modelNameParam);
    if (environment !== undefined && !PLACEMENT_NAME_PATTERN.test(environment)) throw badRequest('environment', PLACEMENT_NAME_HINT);
    const placements = (await this.deps.pool.query(
      `SELECT p.environment, p.service, p.surface, p.serving_version AS "servingVersion", p.serving_deployment_id AS "servingDeploymentId",
              p.serving_since AS "servingSince", p.served_versions AS "servedVersions",
              coalesce(json_agg(json_build_object('deploymentId', d.deployment_id, 'modelVersion', d.model_version, 'trafficPercent', d.traffic_percent, 'baselineVersion', d.baseline_version, 'startedAt', d.started_at) ORDER BY d.deployment_id) FILTER (WHERE d.deployment_id IS NOT NULL), '[]') AS canaries
         FROM deployments.placements p
         LEFT JOIN deployments.deployments d ON d.model_name = p.model_name AND d.environment = p.environment AND d.service = p.service AND d.surface = p.surface AND d.status = 'CANARY'
        WHERE p.model_name = $1 AND ($2::text IS NULL OR p.environment = $2)
        GROUP BY p.model_name, p.environment, p.service, p.surface
        ORDER BY p.environment, p.service, p.surface`,
      [modelName, environment ?? null],
    )).rows as Array<Record<string, unknown>>;
    return { modelName, items: placements.map((row) => ({ ...row, servingSince: row['servingSince'] === null ? null : new Date(Number(row['servingSince'])).toISOString() })) };
  }

  @Get(':deploymentId')
  @ApiOperation({ summary: 'One deployment: version, placement, status (CANARY, SERVING, SUPERSEDED, ROLLED_BACK, RETIRED) and traffic.' })
  async deployment(@Param('deploymentId') deploymentId: string) {
    if (!/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/.test(deploymentId)) throw badRequest('deploymentId', 'must be 1-128 letters, digits, ".", "_", ":" or "-"');
    const row = (await this.deps.pool.query(
      `SELECT deployment_id AS "deploymentId", model_name AS "modelName", environment, service, surface, model_version AS "modelVersion", status,
              traffic_percent AS "trafficPercent", baseline_version AS "baselineVersion", started_at AS "startedAt", last_report_at AS "lastReportAt"
         FROM deployments.deployments WHERE deployment_id = $1`,
      [deploymentId],
    )).rows[0] as Record<string, unknown> | undefined;
    if (!row) throw notFound(`deployment ${deploymentId} is not known`);
    return { ...row, startedAt: new Date(Number(row['startedAt'])).toISOString(), lastReportAt: new Date(Number(row['lastReportAt'])).toISOString() };
  }
}
