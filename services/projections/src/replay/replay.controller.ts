import { Controller, Get, HttpCode, HttpException, HttpStatus, Inject, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { PROJECTIONS_REBUILDER } from '../projections.constants';
import { ContractResponse } from '@modelreg/service-runtime';
import { ReplayConflictError, type ProjectionRebuilder } from './projection-rebuilder';
import { ReplayStatusSchema, StateVerificationSchema } from './replay.contract';
import { Requires } from '@modelreg/auth';

@ApiTags('replay')
@Requires('auditor')
@Controller('v1/replay')
export class ReplayController {
  constructor(@Inject(PROJECTIONS_REBUILDER) private readonly rebuilder: ProjectionRebuilder) {}

  @Post()
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary:
      'Rebuild every projection from offset 0 into fresh tables and switch over atomically once caught up; ' +
      'queries keep working meanwhile. 409 while one runs.',
  })
  @ContractResponse(202, ReplayStatusSchema, "Started: the replay's state.")
  start() {
    try {
      return this.rebuilder.start();
    } catch (error) {
      if (error instanceof ReplayConflictError) throw new HttpException({ error: 'conflict', message: error.message }, HttpStatus.CONFLICT);
      throw error;
    }
  }

  @Get()
  @ApiOperation({
    summary: 'State of the latest replay: progress, events per second, and per-table checksums of the replaced and the rebuilt state.',
  })
  @ContractResponse(200, ReplayStatusSchema, "The latest replay's state.")
  status() {
    return this.rebuilder.current();
  }
}

/** Drift verification: the served read models against a rebuild from the log (auditor). */
@ApiTags('verify')
@Requires('auditor')
@Controller('v1/verify/state')
export class StateVerificationController {
  constructor(@Inject(PROJECTIONS_REBUILDER) private readonly rebuilder: ProjectionRebuilder) {}

  @Post()
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary:
      'Rebuild every read model from the log into a scratch schema and compare it with the served one row by row; ' +
      'nothing served changes. 409 while a replay or a verification runs.',
  })
  @ContractResponse(202, StateVerificationSchema, "Started: the verification's state.")
  start() {
    try {
      return this.rebuilder.verifyState();
    } catch (error) {
      if (error instanceof ReplayConflictError) throw new HttpException({ error: 'conflict', message: error.message }, HttpStatus.CONFLICT);
      throw error;
    }
  }

  @Get()
  @ApiOperation({
    summary: 'The latest state verification: `drifted` rows and, per table, up to 100 named by key with the served and rebuilt row hashes.',
  })
  @ContractResponse(200, StateVerificationSchema, 'The latest verification.')
  status() {
    return this.rebuilder.currentVerification();
  }
}
