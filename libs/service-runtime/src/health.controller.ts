import { Controller, Get, HttpException, HttpStatus, Inject, Optional, Res } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { z } from 'zod';
import { schemaRef } from '@modelreg/validation';
import { ContractQuery, ContractResponse } from './contract';
import { Liveness, ReadinessQuery, ReadinessReportSchema } from './health.contract';
import type { Response } from 'express';
import { Public } from '@modelreg/auth';
import { READINESS_CAPABILITIES, READINESS_CHECKS } from './service-runtime.constants';
import { runReadinessChecks, UnknownCapabilityError, type Capability, type ReadinessCheck } from './readiness-check';

@ApiTags('health')
@Public('orchestrator probes: liveness and readiness carry no registry data')
@Controller('health')
export class HealthController {
  constructor(
    @Inject(READINESS_CHECKS) private readonly checks: ReadinessCheck[],
    @Optional() @Inject(READINESS_CAPABILITIES) private readonly capabilities: Capability[] = [],
  ) {}

  @Get('live')
  @ApiOperation({ summary: 'The process is up and serving HTTP.' })
  @ContractResponse(200, Liveness, 'Up.')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiOperation({
    summary: 'Every dependency answers (200), or 503 naming those that do not. The body lists each capability and what it needs.',
    description:
      "With ?capability=<name>, the status is that capability's alone (e.g. projections ?capability=reads stays 200 while Kafka is down).",
  })
  @ContractResponse(200, ReadinessReportSchema, 'Ready: every check (or the capability asked for) passes.')
  // Not ready is an answer, not an error: the same report, not problem details.
  @ApiResponse({
    status: 503,
    description: 'Not ready: the report names what fails.',
    content: { 'application/json': { schema: schemaRef(ReadinessReportSchema) } },
  })
  async ready(@ContractQuery(ReadinessQuery) { capability }: z.output<typeof ReadinessQuery>, @Res() response: Response): Promise<void> {
    try {
      const report = await runReadinessChecks(this.checks, this.capabilities, capability);
      response.status(report.ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).json(report);
    } catch (error) {
      if (error instanceof UnknownCapabilityError)
        throw new HttpException({ error: 'bad_request', field: 'capability', message: error.message }, HttpStatus.BAD_REQUEST);
      throw error;
    }
  }
}
