import { Controller, Get, Param } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { z } from 'zod';
import { DeploymentPlacementList, DeploymentView, PlacementsQuery } from '@modelreg/deployments';
import { badRequest, ContractQuery, ContractResponse, notFound } from '@modelreg/service-runtime';
import { PlacementQueryService } from './placement-query.service';
import { Requires } from '@modelreg/auth';

@ApiTags('state')
@Requires('reader')
@Controller('v1/deployments')
export class PlacementsController {
  constructor(private readonly queries: PlacementQueryService) {}

  @Get('placements')
  @ApiOperation({
    summary: 'What serves each surface of a model now: the serving version (100%) since when, and the running canaries with their traffic.',
  })
  @ContractResponse(200, DeploymentPlacementList, 'One item per placement of the model.')
  async placements(@ContractQuery(PlacementsQuery) { modelName, environment }: z.output<typeof PlacementsQuery>) {
    return { modelName, items: await this.queries.placements(modelName, environment ?? null) };
  }

  @Get(':deploymentId')
  @ApiOperation({ summary: 'One deployment: version, placement, status (CANARY, SERVING, SUPERSEDED, ROLLED_BACK, RETIRED) and traffic.' })
  @ContractResponse(200, DeploymentView, 'The deployment, its times ISO 8601.')
  async deployment(@Param('deploymentId') deploymentId: string) {
    if (!/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/.test(deploymentId))
      throw badRequest('deploymentId', 'must be 1-128 letters, digits, ".", "_", ":" or "-"');
    const deployment = await this.queries.deployment(deploymentId);
    if (!deployment) throw notFound(`deployment ${deploymentId} is not known`);
    return deployment;
  }
}
