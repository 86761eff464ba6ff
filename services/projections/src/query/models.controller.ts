import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { badRequest, notFound, parseModelName, parsePage, parsePositiveInt } from '@modelreg/service-runtime';
import { PROJECTIONS_QUERIES } from '../projections.constants';
import type { ModelQueries } from './model-queries';

@ApiTags('models')
@Controller('v1/models')
export class ModelsController {
  constructor(@Inject(PROJECTIONS_QUERIES) private readonly queries: ModelQueries) {}

  @Get()
  @ApiOperation({ summary: 'Registered models, paginated; filter by a part of the name.' })
  @ApiQuery({ name: 'limit', required: false, description: '1-500, default 50' })
  @ApiQuery({ name: 'offset', required: false })
  @ApiQuery({ name: 'nameContains', required: false })
  async listModels(@Query() query: Record<string, string | undefined>) {
    const page = parsePage(query);
    const nameContains = query['nameContains'];
    if (nameContains !== undefined && !/^[a-z0-9._-]{1,128}$/.test(nameContains)) throw badRequest('nameContains', 'must be 1-128 characters of a-z, 0-9, ".", "_" or "-"');
    return { ...(await this.queries.listModels(page, nameContains)), ...page };
  }

  @Get(':modelName/versions')
  @ApiOperation({ summary: 'Versions of a model, newest first, paginated.' })
  @ApiQuery({ name: 'limit', required: false })
  @ApiQuery({ name: 'offset', required: false })
  async listVersions(@Param('modelName') modelNameParam: string, @Query() query: Record<string, string | undefined>) {
    const modelName = parseModelName(modelNameParam);
    const page = parsePage(query);
    return { ...(await this.queries.listVersions(modelName, page)), ...page };
  }

  @Get(':modelName/versions/:version')
  @ApiOperation({ summary: 'One version in full: artifacts, code, data snapshots, features, hyperparameters, seeds, environment, metrics.' })
  async getVersion(@Param('modelName') modelNameParam: string, @Param('version') versionParam: string) {
    const modelName = parseModelName(modelNameParam);
    const version = parsePositiveInt(versionParam, 'version');
    const found = await this.queries.getVersion(modelName, version);
    if (!found) throw notFound(`${modelName} v${version} is not registered (or not projected yet)`);
    return found;
  }
}
