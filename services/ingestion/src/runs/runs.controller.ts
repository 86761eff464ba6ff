import { Controller, HttpCode, HttpException, HttpStatus, Post, Res } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { RunRegistrationAnswer, RunSubmissionBody, validateRunSubmission, type RunSubmissionJson } from '@modelreg/lineage';
import { ContractBody, ContractResponse, Origin, type RequestOrigin } from '@modelreg/service-runtime';
import { RunRegistrationService } from './run-registration.service';
import { fromBody, Requires } from '@modelreg/auth';

@ApiTags('runs')
@Controller('v1/runs')
export class RunsController {
  constructor(private readonly registrations: RunRegistrationService) {}

  @Post()
  @Requires('trainer', { model: fromBody('modelName') })
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({
    summary: 'Register a training run as a new model version',
    description:
      'The body carries the full lineage (code, data snapshots, features, hyperparameters, seeds, environment) and metrics; ' +
      'artifacts are referenced by the sha256 of bytes uploaded with PUT /v1/artifacts/{sha256}. ' +
      'Retrying with the same trainingRunId returns the existing version (200).',
  })
  @ContractResponse(201, RunRegistrationAnswer, 'Registered; RunRegistered is queued in the outbox and appended to Kafka.')
  @ContractResponse(200, RunRegistrationAnswer, 'This training run was registered before; its version is returned.')
  @ApiResponse({ status: 409, description: 'This training run was registered before with different content.' })
  @ApiResponse({ status: 422, description: 'Invalid: `errors` lists each field at fault.' })
  @ApiResponse({
    status: 413,
    description: 'The body is over the size limit, or its RunRegistered would exceed MAX_EVENT_BYTES (`limitBytes`); no version is taken.',
  })
  async register(
    @ContractBody(RunSubmissionBody) body: RunSubmissionJson,
    @Origin() origin: RequestOrigin,
    @Res({ passthrough: true }) response: Response,
  ) {
    const validated = validateRunSubmission(body);
    if (!validated.ok) throw new HttpException({ error: 'validation_failed', errors: validated.errors }, HttpStatus.UNPROCESSABLE_ENTITY);
    const outcome = await this.registrations.register(validated.value, origin);
    switch (outcome.kind) {
      case 'invalid':
        throw new HttpException({ error: 'validation_failed', errors: outcome.errors }, HttpStatus.UNPROCESSABLE_ENTITY);
      case 'conflict':
        throw new HttpException({ error: 'conflict', message: outcome.message, field: 'trainingRunId' }, HttpStatus.CONFLICT);
      case 'already-registered':
        response.status(HttpStatus.OK);
        return { status: outcome.kind, modelName: outcome.modelName, modelVersion: outcome.modelVersion, eventId: outcome.eventId };
      case 'registered':
        return { status: outcome.kind, modelName: outcome.modelName, modelVersion: outcome.modelVersion, eventId: outcome.eventId };
      default: {
        const unreachable: never = outcome;
        throw new Error(`unhandled ${String(unreachable)}`);
      }
    }
  }
}
