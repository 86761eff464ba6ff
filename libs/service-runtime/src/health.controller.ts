import { Controller, Get, HttpStatus, Inject, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { READINESS_CHECKS } from './service-runtime.constants';
import { runReadinessChecks, type ReadinessCheck } from './readiness-check';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(@Inject(READINESS_CHECKS) private readonly checks: ReadinessCheck[]) {}

  @Get('live')
  @ApiOperation({ summary: 'The process is up and serving HTTP.' })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiOperation({ summary: 'Every dependency (Kafka, Postgres, and S3 where used) answers; 503 otherwise, naming the one that does not.' })
  async ready(@Res() response: Response): Promise<void> {
    const report = await runReadinessChecks(this.checks);
    response.status(report.ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).json(report);
  }
}
