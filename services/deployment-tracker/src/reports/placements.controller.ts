import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { DeploymentPlacementList, DeploymentView, PLACEMENT_NAME_HINT, PLACEMENT_NAME_PATTERN } from '@modelreg/deployments';
import { badRequest, ContractResponse, notFound, parseModelName } from '@modelreg/service-runtime';
import { PlacementQueryService } from './placement-query.service';
import { Requires } from '@modelreg/auth';

@ApiTags('state')
@Requires('reader')
@Controller('v1/deployments')
export class PlacementsController {
  constructor(private readonly queries: PlacementQueryService) {}

  @Get('placements')
  @ApiOperation({ summary: "What serves each surface of a model now: the serving version (100%) since when, and the running canaries with their traffic." })
  @ContractResponse(200, DeploymentPlacementList, 'One item per placement of the model.')
  @ApiQuery({ name: 'modelName', required: true })
  @ApiQuery({ name: 'environment', required: false })
  async placements(@Query('modelName') modelNameParam: string | undefined, @Query('environment') environment: string | undefined) {
    const modelName = parseModelName(modelNameParam);
    if (environment !== undefined && !PLACEMENT_NAME_PATTERN.test(environment)) throw badRequest('environment', PLACEMENT_NAME_HINT);
    return { modelName, items: await this.queries.placements(modelName, environment ?? null) };
  }

  @Get(':deploymentId')
  @ApiOperation({ summary: 'One deployment: version, placement, status (CANARY, SERVING, SUPERSEDED, ROLLED_BACK, RETIRED) and traffic.' })
  @ContractResponse(200, DeploymentView, 'The deployment, its times ISO 8601.')
  async deployment(@Param('deploymentId') deploymentId: string) {
    if (!/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/.test(deploymentId)) throw badRequest('deploymentId', 'must be 1-128 letters, digits, ".", "_", ":" or "-"');
    const deployment = await this.queries.deployment(deploymentId);
    if (!deployment) throw notFound(`deployment ${deploymentId} is not known`);
    return deployment;
  }
}
