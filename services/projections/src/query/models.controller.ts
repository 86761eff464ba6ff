import { Controller, Get, HttpException, HttpStatus, Inject, Param, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { EVENT_NAMES, TOPIC_ROLE_OF_EVENT } from '@modelreg/events';
import { diffLineage } from '@modelreg/projections';
import { VersionViewSchema } from '@modelreg/lineage';
import { badRequest, ContractResponse, notFound, parseModelName, parsePage, parsePositiveInt } from '@modelreg/service-runtime';
import { PROJECTIONS_QUERIES } from '../projections.constants';
import type { TimelineFilter } from './deployment-queries';
import type { ProjectionQueries } from './projection-queries';
import { Requires } from '@modelreg/auth';
import { AuditBundleSchema, AuditExportLine, AuditVerificationReportSchema, DeploymentTimeline, LineageDiffSchema, ModelList, OnlineResults, ProjectedDecisionList, ReproductionStatus, TrainingHistory, VersionList } from './queries.contract';

/** Event types on a model's deployment timeline: those of the deployments topic. */
const TIMELINE_EVENT_TYPES: ReadonlySet<string> = new Set(EVENT_NAMES.filter((name) => TOPIC_ROLE_OF_EVENT[name] === 'deployments'));

function parseTimelineFilter(query: Record<string, string | undefined>): TimelineFilter {
  const order = query['order'] ?? 'asc';
  if (order !== 'asc' && order !== 'desc') throw badRequest('order', 'must be asc or desc');
  const includeRejected = query['includeRejected'] ?? 'true';
  if (includeRejected !== 'true' && includeRejected !== 'false') throw badRequest('includeRejected', 'must be true or false');
  const eventTypes = query['eventType'] === undefined ? null : query['eventType'].split(',');
  const unknown = eventTypes?.find((type) => !TIMELINE_EVENT_TYPES.has(type));
  if (unknown !== undefined) throw badRequest('eventType', `unknown event type "${unknown.slice(0, 64)}"; one of ${[...TIMELINE_EVENT_TYPES].join(', ')}`);
  return { order, eventTypes, includeRejected: includeRejected === 'true' };
}

@ApiTags('models')
@Requires('reader')
@Controller('v1/models')
export class ModelsController {
  constructor(@Inject(PROJECTIONS_QUERIES) private readonly queries: ProjectionQueries) {}

  @Get()
  @ApiOperation({ summary: 'Registered models, paginated; filter by a part of the name.' })
  @ContractResponse(200, ModelList, 'A page of models with the total.')
  @ApiQuery({ name: 'limit', required: false, description: '1-500, default 50' })
  @ApiQuery({ name: 'offset', required: false })
  @ApiQuery({ name: 'nameContains', required: false })
  async listModels(@Query() query: Record<string, string | undefined>) {
    const page = parsePage(query);
    const nameContains = query['nameContains'];
    if (nameContains !== undefined && !/^[a-z0-9._-]{1,128}$/.test(nameContains)) throw badRequest('nameContains', 'must be 1-128 characters of a-z, 0-9, ".", "_" or "-"');
    return { ...(await this.queries.models.listModels(page, nameContains)), ...page };
  }

  @Get(':modelName/versions')
  @ApiOperation({ summary: 'Versions of a model, newest first, paginated.' })
  @ContractResponse(200, VersionList, 'A page of versions with the total.')
  @ApiQuery({ name: 'limit', required: false })
  @ApiQuery({ name: 'offset', required: false })
  async listVersions(@Param('modelName') modelNameParam: string, @Query() query: Record<string, string | undefined>) {
    const modelName = parseModelName(modelNameParam);
    const page = parsePage(query);
    return { ...(await this.queries.models.listVersions(modelName, page)), ...page };
  }

  @Get(':modelName/versions/:version')
  @ApiOperation({ summary: 'One version in full: artifacts, code, data snapshots, features, hyperparameters, seeds, environment, metrics.' })
  @ContractResponse(200, VersionViewSchema, 'The version with its lineage, JSON out: ISO 8601 times, plain hyperparameters with their types beside them.')
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
  @ApiQuery({ name: 'limit', required: false })
  @ApiQuery({ name: 'offset', required: false })
  async history(@Param('modelName') modelNameParam: string, @Query() query: Record<string, string | undefined>) {
    const modelName = parseModelName(modelNameParam);
    const page = parsePage(query, 5000);
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
  @ApiOperation({ summary: 'Reproduction status: ReproductionRecorded comparisons where the version reproduces an earlier one and where later runs reproduced it (EXACT, WITHIN_TOLERANCE, DIVERGED, with the differences).' })
  @ContractResponse(200, ReproductionStatus, 'Both directions, oldest first.')
  async reproductions(@Param('modelName') modelNameParam: string, @Param('version') versionParam: string) {
    const modelName = parseModelName(modelNameParam);
    return this.queries.versions.reproductions(modelName, parsePositiveInt(versionParam, 'version'));
  }

  @Get(':modelName/timeline')
  @ApiOperation({ summary: 'Deployment timeline: promotions, canaries, traffic changes, rollouts, rollbacks with reasons, online results, refusals.' })
  @ContractResponse(200, DeploymentTimeline, 'A page of the timeline with the total.')
  @ApiQuery({ name: 'limit', required: false })
  @ApiQuery({ name: 'offset', required: false })
  @ApiQuery({ name: 'order', required: false, description: 'asc (default, oldest first) or desc' })
  @ApiQuery({ name: 'eventType', required: false, description: 'comma-separated event types, e.g. RolledBack,RolloutCompleted' })
  @ApiQuery({ name: 'includeRejected', required: false, description: 'true (default) or false: refused controller reports' })
  async timeline(@Param('modelName') modelNameParam: string, @Query() query: Record<string, string | undefined>) {
    const modelName = parseModelName(modelNameParam);
    const page = parsePage(query);
    return { modelName, ...(await this.queries.deployments.timeline(modelName, page, parseTimelineFilter(query))), ...page, eventTypes: [...TIMELINE_EVENT_TYPES] };
  }

  @Get(':modelName/diff')
  @ApiOperation({ summary: 'Lineage diff: what changed from version `against` (e.g. the baseline) to `version` (e.g. the candidate).' })
  @ContractResponse(200, LineageDiffSchema, 'The diff.')
  @ApiQuery({ name: 'version', required: true })
  @ApiQuery({ name: 'against', required: true })
  async diff(@Param('modelName') modelNameParam: string, @Query('version') versionParam: string | undefined, @Query('against') againstParam: string | undefined) {
    const modelName = parseModelName(modelNameParam);
    const version = parsePositiveInt(versionParam, 'version');
    const against = parsePositiveInt(againstParam, 'against');
    if (version === against) throw badRequest('against', 'must differ from version');
    const [to, from] = await Promise.all([this.queries.versions.lineage(modelName, version), this.queries.versions.lineage(modelName, against)]);
    if (!to) throw notFound(`${modelName} v${version} is not registered (or not projected yet)`);
    if (!from) throw notFound(`${modelName} v${against} is not registered (or not projected yet)`);
    return diffLineage(from, to);
  }

  @Get(':modelName/audit')
  @Requires('auditor')
  @ApiOperation({ summary: "Audit export (JSON Lines) of the model's whole history, every stream complete, as `modelreg audit verify` checks it; raw=true adds the Avro bytes (base64)." })
  @ContractResponse(200, AuditExportLine, 'JSON Lines: one AuditExportLine per event, in log order.', 'application/x-ndjson')
  @ApiQuery({ name: 'raw', required: false })
  async modelAudit(@Param('modelName') modelNameParam: string, @Query('raw') raw: string | undefined, @Res() response: Response) {
    const modelName = parseModelName(modelNameParam);
    if (raw !== undefined && raw !== 'true' && raw !== 'false') throw badRequest('raw', 'must be true or false');
    const lines = await this.queries.audit(modelName, null, raw === 'true');
    if (lines.length === 0) throw notFound(`no events concern ${modelName}`);
    response.setHeader('content-type', 'application/x-ndjson');
    response.setHeader('content-disposition', `attachment; filename="${modelName}-audit.jsonl"`);
    response.end(lines.map((line) => JSON.stringify(line)).join('\n') + '\n');
  }

  @Get(':modelName/audit/verify')
  @Requires('auditor')
  @ApiOperation({
    summary: "Verify the model's audit trail against the log",
    description: 'Every event of the model read back from the log: each signed by a key trusted for its topic, each stream chained from its first event to the last one the consumer believed. `breaks` names each fault with its log coordinates (a deleted index row shows as a chain break at the next event, or at the end).',
  })
  @ContractResponse(200, AuditVerificationReportSchema, 'The verification report.')
  async verifyAudit(@Param('modelName') modelNameParam: string) {
    const modelName = parseModelName(modelNameParam);
    const report = await this.queries.verifyAudit(modelName);
    if (!report) throw new HttpException({ error: 'not_configured', message: 'audit verification needs EVENT_KEYS_DIR (the trusted keyring)' }, HttpStatus.SERVICE_UNAVAILABLE);
    if (report.verified + report.unsigned + report.breaks.length === 0) throw notFound(`no events concern ${modelName}`);
    return report;
  }

  @Get(':modelName/versions/:version/audit')
  @Requires('auditor')
  @ApiOperation({ summary: 'Audit export (JSON Lines): every event concerning the version, in order, read back from the log with topic, partition, offset and event id; raw=true adds the Avro bytes (base64).' })
  @ContractResponse(200, AuditExportLine, 'JSON Lines: one AuditExportLine per event, in log order.', 'application/x-ndjson')
  @ApiQuery({ name: 'raw', required: false })
  async audit(@Param('modelName') modelNameParam: string, @Param('version') versionParam: string, @Query('raw') raw: string | undefined, @Res() response: Response) {
    const modelName = parseModelName(modelNameParam);
    const version = parsePositiveInt(versionParam, 'version');
    if (raw !== undefined && raw !== 'true' && raw !== 'false') throw badRequest('raw', 'must be true or false');
    const lines = await this.queries.audit(modelName, version, raw === 'true');
    if (lines.length === 0) throw notFound(`no events concern ${modelName} v${version}`);
    response.setHeader('content-type', 'application/x-ndjson');
    response.setHeader('content-disposition', `attachment; filename="${modelName}-v${version}-audit.jsonl"`);
    response.end(lines.map((line) => JSON.stringify(line)).join('\n') + '\n');
  }

  @Get(':modelName/versions/:version/audit-bundle')
  @Requires('auditor')
  @ApiOperation({ summary: 'Audit bundle (one JSON file, format modelreg.audit-bundle/v1): the version\'s events read back from the log with coordinates and Avro bytes, the policy documents that judged it, its artifacts with signature bundles. Verify offline with `modelreg audit verify-bundle <file>`.' })
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
