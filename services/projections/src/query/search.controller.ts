import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { PLACEMENT_NAME_HINT, PLACEMENT_NAME_PATTERN } from '@modelreg/deployments';
import { badRequest, ContractResponse, parseModelName, parsePage, parsePositiveInt } from '@modelreg/service-runtime';
import { DeployedList, ImpactList, Overview } from './queries.contract';
import { PROJECTIONS_QUERIES } from '../projections.constants';
import type { ProjectionQueries } from './projection-queries';
import { Requires } from '@modelreg/auth';

const TOKEN = /^[A-Za-z0-9][A-Za-z0-9._:@+=,-]{0,199}$/;

@ApiTags('search')
@Requires('reader')
@Controller('v1')
export class SearchController {
  constructor(@Inject(PROJECTIONS_QUERIES) private readonly queries: ProjectionQueries) {}

  @Get('overview')
  @ApiOperation({ summary: 'Across every model: what is deployed where, and the most recent gate failures, rollbacks and recorded events, newest first.' })
  @ApiQuery({ name: 'limit', required: false, description: 'per list, 1-100, default 10' })
  @ContractResponse(200, Overview, 'Deployed placements and the recent lists.')
  async overview(@Query('limit') limitParam: string | undefined) {
    const limit = limitParam === undefined ? 10 : parsePositiveInt(limitParam, 'limit', 100);
    const [deployed, recent] = await Promise.all([this.queries.deployments.currentlyDeployed({}), this.queries.deployments.overview(limit)]);
    return { deployed, ...recent };
  }

  @Get('deployed')
  @ApiOperation({ summary: 'Currently deployed: for each service and surface, the serving version and since when, and the canaries with their traffic.' })
  @ApiQuery({ name: 'modelName', required: false })
  @ApiQuery({ name: 'service', required: false })
  @ApiQuery({ name: 'environment', required: false })
  @ContractResponse(200, DeployedList, 'One item per placement.')
  async deployed(@Query() query: Record<string, string | undefined>) {
    const filter: { modelName?: string; service?: string; environment?: string } = {};
    if (query['modelName'] !== undefined) filter.modelName = parseModelName(query['modelName']);
    for (const key of ['service', 'environment'] as const) {
      const value = query[key];
      if (value === undefined) continue;
      if (!PLACEMENT_NAME_PATTERN.test(value)) throw badRequest(key, PLACEMENT_NAME_HINT);
      filter[key] = value;
    }
    return { items: await this.queries.deployments.currentlyDeployed(filter) };
  }

  @Get('impact')
  @ApiOperation({ summary: 'Impact search: versions (and which are deployed now) that used a data snapshot, a feature version (name@version), a code commit or an environment fingerprint. Give exactly one.' })
  @ApiQuery({ name: 'dataSnapshot', required: false })
  @ApiQuery({ name: 'feature', required: false, description: 'name@version' })
  @ApiQuery({ name: 'commit', required: false })
  @ApiQuery({ name: 'environment', required: false, description: 'environment fingerprint' })
  @ContractResponse(200, ImpactList, 'A page of matching versions.')
  async impact(@Query() query: Record<string, string | undefined>) {
    const given = (['dataSnapshot', 'feature', 'commit', 'environment'] as const).filter((key) => query[key] !== undefined);
    if (given.length !== 1) throw badRequest('query', 'give exactly one of dataSnapshot, feature, commit, environment');
    const key = given[0] as (typeof given)[number];
    const value = query[key] as string;
    const page = parsePage(query);
    if (key === 'feature') {
      const match = /^(.+)@([^@]+)$/.exec(value);
      if (!match || !TOKEN.test(match[1] as string) || !TOKEN.test(match[2] as string)) throw badRequest('feature', 'must be name@version');
      return { items: await this.queries.versions.impact({ feature: { name: match[1] as string, version: match[2] as string } }, page), ...page };
    }
    if (!TOKEN.test(value)) throw badRequest(key, 'must be 1-200 letters, digits and ._:@+=,-');
    return { items: await this.queries.versions.impact({ [key]: value }, page), ...page };
  }
}
