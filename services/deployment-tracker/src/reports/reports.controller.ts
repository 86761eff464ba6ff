import { Controller, HttpException, HttpStatus, Inject, Post, Res } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ContractBody, ContractResponse, Origin, type RequestOrigin } from '@modelreg/service-runtime';
import type { Response } from 'express';
import { DeploymentReportOutcome, DeploymentReportSchema, REPORT_KINDS, validateDeploymentReport } from '@modelreg/deployments';
import type { DeploymentTrackerDependencies } from '../deployment-tracker-dependencies';
import { DEPLOYMENT_TRACKER_DEPENDENCIES } from '../deployment-tracker.constants';
import { DeploymentReportService } from './deployment-report.service';
import { fromBody, Requires } from '@modelreg/auth';

const NOT_FOUND_RULES = new Set(['unknown-version', 'unknown-deployment']);

@ApiTags('reports')
@Controller('v1/deployments/reports')
export class ReportsController {
  constructor(
    private readonly reports: DeploymentReportService,
    @Inject(DEPLOYMENT_TRACKER_DEPENDENCIES) private readonly deps: DeploymentTrackerDependencies,
  ) {}

  @Post()
  @Requires('controller', { placement: { service: fromBody('service'), environment: fromBody('environment') } })
  @ApiOperation({
    summary: 'Report what a deployment controller did or saw',
    description: [
      `One JSON object with kind (${REPORT_KINDS.join(', ')}), reportId (idempotency key), reportedAt (ISO-8601) and the kind's fields:`,
      'CANARY_STARTED {deploymentId, modelName, modelVersion, service, surface, environment, trafficPercent, baselineVersion?};',
      'CANARY_TRAFFIC_CHANGED {deploymentId, trafficPercent}; ROLLOUT_COMPLETED {deploymentId};',
      'ROLLED_BACK {deploymentId, toVersion, reason, triggerMetric?, triggerValue?}; DEPLOYMENT_RETIRED {deploymentId, reason};',
      'ONLINE_METRICS {modelName, modelVersion, service, surface, environment, windowStart, windowEnd, metrics};',
      'AB_TEST_CONCLUDED {testId, modelName, service, surface, environment, controlVersion, treatmentVersion, results[], decision}.',
      'The Kafka topic <prefix>.deployment-reports.v1 takes the same as DeploymentReportSubmitted.',
    ].join(' '),
  })
  @ContractResponse(201, DeploymentReportOutcome, 'Applied; the events appended are listed.')
  @ContractResponse(200, DeploymentReportOutcome, 'This report id was seen before; the first outcome is returned and nothing changes.')
  @ApiResponse({ status: 404, description: 'Unknown version or deployment (the refusal is recorded as DeploymentReportRejected).' })
  @ApiResponse({
    status: 409,
    description:
      'A deployment rule refused it (gate not passed, out of order, contradictory, retired...); recorded as DeploymentReportRejected.',
  })
  @ApiResponse({ status: 422, description: 'Invalid: `errors` names each field at fault. Nothing is recorded.' })
  @ApiResponse({
    status: 413,
    description:
      'The body is over the size limit, or its events would exceed MAX_EVENT_BYTES ' +
      '(`limitBytes`); nothing is recorded and the report id stays unused.',
  })
  async report(
    @ContractBody(DeploymentReportSchema) body: unknown,
    @Origin() origin: RequestOrigin,
    @Res({ passthrough: true }) response: Response,
  ) {
    const validated = validateDeploymentReport(body, { now: Date.now(), maxSkewMs: this.deps.maxClockSkewMs });
    if (!validated.ok) throw new HttpException({ error: 'validation_failed', errors: validated.errors }, HttpStatus.UNPROCESSABLE_ENTITY);
    const outcome = await this.reports.submit(validated.value, origin);
    this.deps.relay.nudge();
    if (outcome.outcome === 'rejected') {
      throw new HttpException(
        { error: 'rejected', ...outcome },
        NOT_FOUND_RULES.has(outcome.rule) ? HttpStatus.NOT_FOUND : HttpStatus.CONFLICT,
      );
    }
    if (outcome.duplicate) response.status(HttpStatus.OK);
    return outcome;
  }
}
