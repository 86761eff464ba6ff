import { Controller, HttpCode, HttpStatus, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { badRequest, ContractResponse } from '@modelreg/service-runtime';
import { GateRebuildReport } from './rebuild.contract';
import { GateRebuildService } from './gate-rebuild.service';
import { Requires } from '@modelreg/auth';

@ApiTags('rebuild')
@Requires('auditor')
@Controller('v1/rebuild')
export class RebuildController {
  constructor(private readonly rebuilds: GateRebuildService) {}

  @Post()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Rebuild the gate from offset 0 of the log and compare',
    description: 'Folds the lineage, deployments and gates topics (up to their current ends) through the live fold and decision steps, in memory, and reports whether every decision a registration caused is reproduced byte for byte. Live state is not touched.',
  })
  @ContractResponse(200, GateRebuildReport, 'Counts, the decisions that differ, and every rebuilt decision.')
  @ApiQuery({ name: 'payloads', required: false, description: 'true: include each rebuilt GateEvaluated, single-object encoded, base64.' })
  rebuild(@Query('payloads') payloads: string | undefined) {
    if (payloads !== undefined && payloads !== 'true' && payloads !== 'false') throw badRequest('payloads', 'must be true or false');
    return this.rebuilds.rebuild(payloads === 'true');
  }
}
