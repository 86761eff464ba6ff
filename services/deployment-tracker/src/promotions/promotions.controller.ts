import { Body, Controller, Headers, HttpException, HttpStatus, Inject, Post } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { readPlacement } from '@modelreg/deployments';
import { FieldReader } from '@modelreg/validation';
import { withTransaction } from '@modelreg/postgres';
import { correlationIdFrom, enqueueOutbox } from '@modelreg/service-runtime';
import type { DeploymentTrackerDependencies } from '../deployment-tracker-dependencies';
import { DEPLOYMENT_TRACKER_DEPENDENCIES, DEPLOYMENTS_SCHEMA } from '../deployment-tracker.constants';
import { deploymentStore } from '../state/deployment-store';
import { modelPromotedMessage } from './model-promoted';

@ApiTags('promotions')
@Controller('v1/promotions')
export class PromotionsController {
  constructor(@Inject(DEPLOYMENT_TRACKER_DEPENDENCIES) private readonly deps: DeploymentTrackerDependencies) {}

  @Post()
  @ApiOperation({
    summary: 'Promote a version to a (new) service surface',
    description: 'Appends ModelPromoted for the surface when the version\'s latest gate decision passed. Versions that pass later are promoted automatically to every surface their model serves.',
  })
  @ApiBody({ schema: { type: 'object', required: ['modelName', 'modelVersion', 'service', 'surface', 'environment'] } })
  @ApiResponse({ status: 201, description: 'ModelPromoted appended.' })
  @ApiResponse({ status: 404, description: 'The version is not registered.' })
  @ApiResponse({ status: 409, description: 'The version has no passed gate decision.' })
  @ApiResponse({ status: 422, description: 'Invalid: `errors` names each field at fault.' })
  async promote(@Body() body: unknown, @Headers('x-correlation-id') correlation: string | undefined) {
    const r = new FieldReader();
    const input = r.object(body, 'body') ?? {};
    const placement = readPlacement(r, input);
    const { modelName } = placement;
    const modelVersion = r.number(input['modelVersion'], 'modelVersion', { min: 1, max: 2_147_483_647, integer: true }) ?? 0;
    if (r.errors.length > 0) throw new HttpException({ error: 'validation_failed', errors: r.errors }, HttpStatus.UNPROCESSABLE_ENTITY);
    const eventId = await withTransaction(this.deps.pool, async (client) => {
      const version = (await client.query('SELECT registered, latest_verdict, latest_decision_event_id, policy_id, policy_version FROM deployments.versions WHERE model_name = $1 AND model_version = $2', [modelName, modelVersion])).rows[0] as
        | { registered: boolean; latest_verdict: string | null; latest_decision_event_id: string; policy_id: string; policy_version: number }
        | undefined;
      if (!version?.registered) throw new HttpException({ error: 'not_found', message: `${modelName} v${modelVersion} is not registered` }, HttpStatus.NOT_FOUND);
      if (version.latest_verdict !== 'PASSED') throw new HttpException({ error: 'not_eligible', field: 'modelVersion', message: `${modelName} v${modelVersion} has ${version.latest_verdict ? 'failed its latest gate decision' : 'no gate decision yet'}` }, HttpStatus.CONFLICT);
      await deploymentStore.lockPlacement(client, placement);
      const passed = { modelVersion, decisionEventId: version.latest_decision_event_id, policyId: version.policy_id, policyVersion: version.policy_version };
      const promotion = modelPromotedMessage(this.deps, placement, passed, correlationIdFrom(correlation));
      await enqueueOutbox(client, DEPLOYMENTS_SCHEMA, [promotion.message]);
      return promotion.eventId;
    });
    this.deps.relay.nudge();
    return { status: 'promoted', eventId, ...placement, modelVersion };
  }
}
