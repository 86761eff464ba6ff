import { Controller, Get, Headers, HttpException, HttpStatus, Inject, Param, Put, Req, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiHeader, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ArtifactMismatchError } from '@modelreg/artifact-store';
import type { IngestionDependencies } from '../ingestion-dependencies';
import { INGESTION_DEPENDENCIES } from '../ingestion.constants';
import { AcceptsBody, Requires } from '@modelreg/auth';
import { ContractResponse } from '@modelreg/service-runtime';
import { ARTIFACT_BYTES_SCHEMA, ArtifactStatus, StoredArtifactAnswer } from './artifacts.contract';

const SHA256 = /^[0-9a-f]{64}$/;
const MAX_ARTIFACT_BYTES = 1024 ** 4;

function parseSha256(sha256: string): void {
  if (!SHA256.test(sha256))
    throw new HttpException({ error: 'bad_request', field: 'sha256', message: 'must be 64 lower-case hex digits' }, HttpStatus.BAD_REQUEST);
}

@ApiTags('artifacts')
@Controller('v1/artifacts')
export class ArtifactsController {
  constructor(@Inject(INGESTION_DEPENDENCIES) private readonly deps: IngestionDependencies) {}

  @Get(':sha256')
  @Requires(['trainer', 'reader'])
  @ApiOperation({
    summary:
      'Whether an artifact is stored: its size and storage URI (404 when not). ' +
      'Clients skip uploads of bytes already stored; HEAD works too.',
  })
  @ApiParam({ name: 'sha256', description: '64 lower-case hex digits' })
  @ContractResponse(200, ArtifactStatus, 'Stored: its size and storage URI.')
  @ApiResponse({ status: 404, description: 'No artifact with this sha256 is stored.' })
  async stored(@Param('sha256') sha256: string) {
    parseSha256(sha256);
    const sizeBytes = await this.deps.store.sizeOf(sha256);
    if (sizeBytes === null)
      throw new HttpException({ error: 'not_found', message: `no artifact with sha256 ${sha256} is stored` }, HttpStatus.NOT_FOUND);
    return { sha256, sizeBytes, storageUri: this.deps.store.uriFor(sha256) };
  }

  @Put(':sha256')
  @Requires('trainer')
  @AcceptsBody('application/octet-stream')
  @ApiOperation({
    summary: 'Upload a model binary under its sha256',
    description:
      'The raw body (application/octet-stream) is streamed to object storage, multipart, while its sha256 and size are computed. ' +
      'Bytes that do not match the declared sha256 (path) and Content-Length are discarded.',
  })
  @ApiParam({ name: 'sha256', description: '64 lower-case hex digits' })
  @ApiHeader({ name: 'content-length', required: true })
  @ApiConsumes('application/octet-stream')
  @ApiBody({ required: true, schema: ARTIFACT_BYTES_SCHEMA })
  @ContractResponse(201, StoredArtifactAnswer, 'Stored.')
  @ContractResponse(200, StoredArtifactAnswer, 'These bytes were already stored (deduplicated=true); nothing was added.')
  @ApiResponse({ status: 400, description: 'Malformed sha256, missing Content-Length, or a truncated upload.' })
  @ApiResponse({ status: 422, description: 'The bytes do not hash to the declared sha256.' })
  @ApiResponse({
    status: 503,
    description: 'Object storage unavailable (dependency: s3); nothing was stored, retry after Retry-After seconds.',
  })
  async upload(
    @Param('sha256') sha256: string,
    @Headers('content-length') contentLength: string | undefined,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ) {
    parseSha256(sha256);
    const sizeBytes = Number(contentLength);
    if (!contentLength || !Number.isSafeInteger(sizeBytes) || sizeBytes < 1 || sizeBytes > MAX_ARTIFACT_BYTES) {
      throw new HttpException(
        { error: 'bad_request', field: 'content-length', message: `must be an integer between 1 and ${MAX_ARTIFACT_BYTES}` },
        HttpStatus.BAD_REQUEST,
      );
    }
    try {
      const stored = await this.deps.store.put(request, { sha256, sizeBytes });
      response.status(stored.deduplicated ? HttpStatus.OK : HttpStatus.CREATED);
      return stored;
    } catch (error) {
      if (error instanceof ArtifactMismatchError) {
        const status = error.field === 'sha256' ? HttpStatus.UNPROCESSABLE_ENTITY : HttpStatus.BAD_REQUEST;
        throw new HttpException({ error: 'artifact_mismatch', field: error.field, message: error.message }, status);
      }
      throw error;
    }
  }
}
