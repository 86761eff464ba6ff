import { Controller, Get, HttpException, HttpStatus, Inject, Param, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { diffLineage } from '@modelreg/projections';
import { VersionViewSchema } from '@modelreg/lineage';
import type { z } from 'zod';
import { badRequest, ContractQuery, ContractResponse, notFound, parseModelName, parsePositiveInt } from '@modelreg/service-runtime';
import { PROJECTIONS_QUERIES } from '../projections.constants';
import type { ProjectionQueries } from './projection-queries';
import { Requires } from '@modelreg/auth';
import {
  AuditBundleSchema,
  AuditExportLine,
  AuditQuery,
  AuditVerificationReportSchema,
  DeploymentTimeline,
  DiffQuery,
  HistoryQuery,
  LineageDiffSchema,
  ModelList,
  ModelListQuery,
  OnlineResults,
  ProjectedDecisionList,
  ReproductionStatus,
  TIMELINE_EVENT_TYPES,
  TimelineQuery,
  TrainingHistory,
  VersionList,
  VersionListQuery,
} from './queries.contract';

@ApiTags('models')
@Requires('reader')
@Controller('v1/models')
export class ModelsController {
  constructor(@Inject(PROJECTIONS_QUERIES) private readonly queries: ProjectionQueries) {}

  @Get()
  @ApiOperation({ summary: 'Registered models, paginated; filter by a part of the name.' })
  @ContractResponse(200, ModelList, 'A page of models with the total.')
  async listModels(@ContractQuery(ModelListQuery) { nameContains, ...page }: z.output<typeof ModelListQuery>) {
    return { ...(await this.queries.models.listModels(page, nameContains)), ...page };
  }

  @Get(':modelName/versions')
  @ApiOperation({ summary: 'Versions of a model, newest first, paginated.' })
  @ContractResponse(200, VersionList, 'A page of versions with the total.')
  async listVersions(@Param('modelName') modelNameParam: string, @ContractQuery(VersionListQuery) page: z.output<typeof VersionListQuery>) {
    const modelName = parseModelName(modelNameParam);
    return { ...(await this.queries.models.listVersions(modelName, page)), ...page };
  }

  @Get(':modelName/versions/:version')
  @ApiOperation({
    summary: 'One version in full: artifacts, code, data snapshots, features, hyperparameters, seeds, environment, metrics.',
  })
  @ContractResponse(
    200,
    VersionViewSchema,
    'The version with its lineage, JSON out: ISO 8601 times, plain hyperparameters with their types beside them.',
  )
  async getVersion(@Param('modelName') modelNameParam: string, @Param('version') versionParam: string) {
    const modelName = parseModelName(modelNameParam);
    const version = parsePositiveInt(versionParam, 'version');
    const found = await this.queries.models.getVersion(modelName, version);
    if (!found) throw notFound(`${modelName} v${version} is not registered (or not projected yet)`);
    return found;
  }

  @Get(':modelName/history')
  @ApiOperation({ summary: 'Training history: versions in order with their overall metrics and latest verdict, for charts.' })
  @ContractResponse(200, TrainingHistory, 'A page of the history.')
  async history(@Param('modelName') modelNameParam: string, @ContractQuery(HistoryQuery) page: z.output<typeof HistoryQuery>) {
    const modelName = parseModelName(modelNameParam);
    return { modelName, items: await this.queries.versions.history(modelName, page), ...page };
  }

  @Get(':modelName/versions/:version/decisions')
  @ApiOperation({ summary: 'Gate decisions of a version, oldest first, with every check.' })
  @ContractResponse(200, ProjectedDecisionList, 'The decisions, oldest first.')
  async decisions(@Param('modelName') modelNameParam: string, @Param('version') versionParam: string) {
    const modelName = parseModelName(modelNameParam);
    return { items: await this.queries.versions.decisions(modelName, parsePositiveInt(versionParam, 'version')) };
  }

  @Get(':modelName/versions/:version/online')
  @ApiOperation({ summary: 'Online metrics and A/B test results tied to a version.' })
  @ContractResponse(200, OnlineResults, 'Online metric windows and A/B tests.')
  async online(@Param('modelName') modelNameParam: string, @Param('version') versionParam: string) {
    const modelName = parseModelName(modelNameParam);
    return this.queries.versions.onlineResults(modelName, parsePositiveInt(versionParam, 'version'));
  }

  @Get(':modelName/versions/:version/reproductions')
  @ApiOperation({
    summary:
      'Reproduction status: ReproductionRecorded comparisons where the version reproduces an earlier one ' +
      'and where later runs reproduced it (EXACT, WITHIN_TOLERANCE, DIVERGED, with the differences).',
  })
  @ContractResponse(200, ReproductionStatus, 'Both directions, oldest first.')
  async reproductions(@Param('modelName') modelNameParam: string, @Param('version') versionParam: string) {
    const modelName = parseModelName(modelNameParam);
    return this.queries.versions.reproductions(modelName, parsePositiveInt(versionParam, 'version'));
  }

  @Get(':modelName/timeline')
  @ApiOperation({
    summary: 'Deployment timeline: promotions, canaries, traffic changes, rollouts, rollbacks with reasons, online results, refusals.',
  })
  @ContractResponse(200, DeploymentTimeline, 'A page of the timeline with the total.')
  async timeline(@Param('modelName') modelNameParam: string, @ContractQuery(TimelineQuery) query: z.output<typeof TimelineQuery>) {
    const modelName = parseModelName(modelNameParam);
    const { limit, offset, order, eventType, includeRejected } = query;
    const page = { limit, offset };
    const filter = { order, eventTypes: eventType ?? null, includeRejected };
    return {
      modelName,
      ...(await this.queries.deployments.timeline(modelName, page, filter)),
      ...page,
      eventTypes: [...TIMELINE_EVENT_TYPES],
    };
  }

  @Get(':modelName/diff')
  @ApiOperation({ summary: 'Lineage diff: what changed from version `against` (e.g. the baseline) to `version` (e.g. the candidate).' })
  @ContractResponse(200, LineageDiffSchema, 'The diff.')
  async diff(@Param('modelName') modelNameParam: string, @ContractQuery(DiffQuery) { version, against }: z.output<typeof DiffQuery>) {
    const modelName = parseModelName(modelNameParam);
    if (version === against) throw badRequest('against', 'must differ from version');
    const [to, from] = await Promise.all([
      this.queries.versions.lineage(modelName, version),
      this.queries.versions.lineage(modelName, against),
    ]);
    if (!to) throw notFound(`${modelName} v${version} is not registered (or not projected yet)`);
    if (!from) throw notFound(`${modelName} v${against} is not registered (or not projected yet)`);
    return diffLineage(from, to);
  }

  @Get(':modelName/audit')
  @Requires('auditor')
  @ApiOperation({
    summary:
      "Audit export (JSON Lines) of the model's whole history, every stream complete, " +
      'as `modelreg audit verify` checks it; raw=true adds the Avro bytes (base64).',
  })
  @ContractResponse(200, AuditExportLine, 'JSON Lines: one AuditExportLine per event, in log order.', 'application/x-ndjson')
  async modelAudit(
    @Param('modelName') modelNameParam: string,
    @ContractQuery(AuditQuery) { raw }: z.output<typeof AuditQuery>,
    @Res() response: Response,
  ) {
    const modelName = parseModelName(modelNameParam);
    const lines = await this.queries.audit(modelName, null, raw);
    if (lines.length === 0) throw notFound(`no events concern ${modelName}`);
    response.setHeader('content-type', 'application/x-ndjson');
    response.setHeader('content-disposition', `attachment; filename="${modelName}-audit.jsonl"`);
    response.end(lines.map((line) => JSON.stringify(line)).join('\n') + '\n');
  }

  @Get(':modelName/audit/verify')
  @Requires('auditor')
  @ApiOperation({
    summary: "Verify the model's audit trail against the log",
    description:
      'Every event of the model read back from the log: each signed by a key trusted for its topic, ' +
      'each stream chained from its first event to the last one the consumer believed. ' +
      '`breaks` names each fault with its log coordinates (a deleted index row shows as a chain break at the next event, or at the end).',
  })
  @ContractResponse(200, AuditVerificationReportSchema, 'The verification report.')
  async verifyAudit(@Param('modelName') modelNameParam: string) {
    const modelName = parseModelName(modelNameParam);
    const report = await this.queries.verifyAudit(modelName);
    if (!report)
      throw new HttpException(
        { error: 'not_configured', message: 'audit verification needs EVENT_KEYS_DIR (the trusted keyring)' },
        HttpStatus.SERVICE_UNAVAILABLE,
      );
    if (report.verified + report.unsigned + report.breaks.length === 0) throw notFound(`no events concern ${modelName}`);
    return report;
  }

  @Get(':modelName/versions/:version/audit')
  @Requires('auditor')
  @ApiOperation({
    summary:
      'Audit export (JSON Lines): every event concerning the version, in order, ' +
      'read back from the log with topic, partition, offset and event id; raw=true adds the Avro bytes (base64).',
  })
  @ContractResponse(200, AuditExportLine, 'JSON Lines: one AuditExportLine per event, in log order.', 'application/x-ndjson')
  async audit(
    @Param('modelName') modelNameParam: string,
    @Param('version') versionParam: string,
    @ContractQuery(AuditQuery) { raw }: z.output<typeof AuditQuery>,
    @Res() response: Response,
  ) {
    const modelName = parseModelName(modelNameParam);
    const version = parsePositiveInt(versionParam, 'version');
    const lines = await this.queries.audit(modelName, version, raw);
    if (lines.length === 0) throw notFound(`no events concern ${modelName} v${version}`);
    response.setHeader('content-type', 'application/x-ndjson');
    response.setHeader('content-disposition', `attachment; filename="${modelName}-v${version}-audit.jsonl"`);
    response.end(lines.map((line) => JSON.stringify(line)).join('\n') + '\n');
  }

  @Get(':modelName/versions/:version/audit-bundle')
  @Requires('auditor')
  @ApiOperation({
    summary:
      'Audit bundle (one JSON file, format modelreg.audit-bundle/v1): ' +
      "the version's events read back from the log with coordinates and Avro bytes, " +
      'the policy documents that judged it, its artifacts with signature bundles. ' +
      'Verify offline with `modelreg audit verify-bundle <file>`.',
  })
  @ContractResponse(200, AuditBundleSchema, 'The bundle, as an attachment.')
  async auditBundle(@Param('modelName') modelNameParam: string, @Param('version') versionParam: string, @Res() response: Response) {
    const modelName = parseModelName(modelNameParam);
    const version = parsePositiveInt(versionParam, 'version');
    const bundle = await this.queries.auditBundle(modelName, version);
    if (!bundle) throw notFound(`no events concern ${modelName} v${version}`);
    response.setHeader('content-type', 'application/json');
    response.setHeader('content-disposition', `attachment; filename="${modelName}-v${version}-audit-bundle.json"`);
    response.end(JSON.stringify(bundle));
  }
}
