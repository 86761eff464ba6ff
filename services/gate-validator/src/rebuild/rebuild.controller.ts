import { Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { z } from 'zod';
import { ContractQuery, ContractResponse } from '@modelreg/service-runtime';
import { GateRebuildReport, RebuildQuery } from './rebuild.contract';
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
    description:
      'Folds the lineage, deployments and gates topics (up to their current ends) through the live fold and decision steps, ' +
      'in memory, and reports whether every decision a registration caused is reproduced byte for byte. Live state is not touched.',
  })
  @ContractResponse(200, GateRebuildReport, 'Counts, the decisions that differ, and every rebuilt decision.')
  rebuild(@ContractQuery(RebuildQuery) { payloads }: z.output<typeof RebuildQuery>) {
    return this.rebuilds.rebuild(payloads);
  }
}
