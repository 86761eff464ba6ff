import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { z } from 'zod';
import { badRequest, ContractQuery, ContractResponse } from '@modelreg/service-runtime';
import { DeployedList, DeployedQuery, ImpactList, ImpactQuery, Overview, OverviewQuery } from './queries.contract';
import { PROJECTIONS_QUERIES } from '../projections.constants';
import type { ProjectionQueries } from './projection-queries';
import { Requires } from '@modelreg/auth';

@ApiTags('search')
@Requires('reader')
@Controller('v1')
export class SearchController {
  constructor(@Inject(PROJECTIONS_QUERIES) private readonly queries: ProjectionQueries) {}

  @Get('overview')
  @ApiOperation({
    summary: 'Across every model: what is deployed where, and the most recent gate failures, rollbacks and recorded events, newest first.',
  })
  @ContractResponse(200, Overview, 'Deployed placements and the recent lists.')
  async overview(@ContractQuery(OverviewQuery) { limit }: z.output<typeof OverviewQuery>) {
    const [deployed, recent] = await Promise.all([
      this.queries.deployments.currentlyDeployed({}),
      this.queries.deployments.overview(limit),
    ]);
    return { deployed, ...recent };
  }

  @Get('deployed')
  @ApiOperation({
    summary: 'Currently deployed: for each service and surface, the serving version and since when, and the canaries with their traffic.',
  })
  @ContractResponse(200, DeployedList, 'One item per placement.')
  async deployed(@ContractQuery(DeployedQuery) query: z.output<typeof DeployedQuery>) {
    const filter = Object.fromEntries(Object.entries(query).filter(([, value]) => value !== undefined)) as z.output<typeof DeployedQuery>;
    return { items: await this.queries.deployments.currentlyDeployed(filter) };
  }

  @Get('impact')
  @ApiOperation({
    summary:
      'Impact search: versions (and which are deployed now) that used a data snapshot, ' +
      'a feature version (name@version), a code commit or an environment fingerprint. Give exactly one.',
  })
  @ContractResponse(200, ImpactList, 'A page of matching versions.')
  async impact(@ContractQuery(ImpactQuery) { limit, offset, ...keys }: z.output<typeof ImpactQuery>) {
    const given = Object.entries(keys).filter(([, value]) => value !== undefined);
    if (given.length !== 1) throw badRequest('query', 'give exactly one of dataSnapshot, feature, commit, environment');
    const page = { limit, offset };
    return { items: await this.queries.versions.impact(Object.fromEntries(given), page), ...page };
  }
}
