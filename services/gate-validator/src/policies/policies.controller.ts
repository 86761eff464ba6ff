import { Controller, Get, Headers, HttpException, HttpStatus, Inject, Param, Post, Res } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import {
  POLICY_ID_PATTERN,
  PolicyApproval,
  PolicyDocumentSchema,
  PolicyList,
  PolicyProposal,
  PolicyPublication,
  policyContentHash,
  PublishedPolicy,
} from '@modelreg/gates';
import {
  badRequest,
  ContractBody,
  ContractResponse,
  notFound,
  Origin,
  parsePositiveInt,
  type RequestOrigin,
} from '@modelreg/service-runtime';
import type { GateValidatorDependencies } from '../gate-validator-dependencies';
import { GATE_VALIDATOR_DEPENDENCIES } from '../gate-validator.constants';
import { PolicyCatalogService } from './policy-catalog.service';
import { PolicyPublishingService } from './policy-publishing.service';
import { Requires } from '@modelreg/auth';

@ApiTags('policies')
@Requires('reader')
@Controller('v1/policies')
export class PoliciesController {
  constructor(
    private readonly publishing: PolicyPublishingService,
    private readonly catalog: PolicyCatalogService,
    @Inject(GATE_VALIDATOR_DEPENDENCIES) private readonly deps: GateValidatorDependencies,
  ) {}

  @Post()
  @Requires('policy-admin')
  @ApiOperation({
    summary: 'Publish a policy version',
    description:
      'A JSON policy document: policyId, version (previous + 1; the built-in "default" is ' +
      'version 1), models (name patterns), baseline rule, tolerance, checks (metric-threshold, ' +
      ('metric-change, slice-threshold, slice-change, group-disparity, artifact-size, artifact-format, ' +
        'operational) and guardrails. Publishing appends GatePolicyPublished to the log.'),
  })
  @ContractResponse(
    201,
    PolicyPublication,
    "Published. `warnings` ({field, message}) names each metric that no registered version of the policy's models carries.",
  )
  @ContractResponse(200, PolicyPublication, 'This exact version was already published (with `warnings` as for 201).')
  @ContractResponse(
    202,
    PolicyProposal,
    'The version loosens the one in force (`loosening` says how): recorded as ' +
      'PolicyProposed, not in force until a second policy admin approves `proposalId`.',
  )
  @ApiResponse({ status: 409, description: 'Version out of sequence, or the version exists with other content.' })
  @ApiResponse({ status: 422, description: 'Invalid policy: `errors` names each field at fault.' })
  @ApiResponse({
    status: 413,
    description:
      'The body is over the size limit, or its GatePolicyPublished would exceed ' +
      'MAX_EVENT_BYTES (`limitBytes`); nothing is published and the version stays free.',
  })
  async publish(
    @ContractBody(PolicyDocumentSchema) body: unknown,
    @Origin() origin: RequestOrigin,
    @Headers('x-published-by') publishedBy: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    const outcome = await this.publishing.publish(body, publishedBy && publishedBy.length <= 200 ? publishedBy : null, origin);
    switch (outcome.kind) {
      case 'invalid':
        throw new HttpException({ error: 'validation_failed', errors: outcome.errors }, HttpStatus.UNPROCESSABLE_ENTITY);
      case 'conflict':
        throw new HttpException({ error: 'conflict', field: 'version', message: outcome.message }, HttpStatus.CONFLICT);
      case 'already-published':
        response.status(HttpStatus.OK);
        this.deps.relay.nudge();
        return outcome;
      case 'published':
        this.deps.relay.nudge();
        return outcome;
      case 'proposed':
        response.status(HttpStatus.ACCEPTED);
        this.deps.relay.nudge();
        return outcome;
      default: {
        const unreachable: never = outcome;
        throw new Error(`unhandled ${String(unreachable)}`);
      }
    }
  }

  @Post('proposals/:proposalId/approve')
  @Requires('policy-admin')
  @ApiOperation({
    summary: 'Approve a loosening policy proposal',
    description: "By a policy admin other than the proposer: appends PolicyApproved and the version's GatePolicyPublished together.",
  })
  @ContractResponse(201, PolicyApproval, 'Approved and published.')
  @ApiResponse({ status: 403, description: 'Unauthenticated, not a policy admin, or the proposer.' })
  @ApiResponse({ status: 404, description: 'No such proposal.' })
  @ApiResponse({ status: 409, description: 'Approved already, or its version is no longer the next one.' })
  async approve(@Param('proposalId') proposalId: string, @Origin() origin: RequestOrigin) {
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(proposalId))
      throw badRequest('proposalId', 'must be a UUID');
    const outcome = await this.publishing.approve(proposalId, origin);
    switch (outcome.kind) {
      case 'published':
        this.deps.relay.nudge();
        return outcome;
      case 'not-found':
        throw notFound(outcome.message);
      case 'forbidden':
        throw new HttpException({ error: 'forbidden', message: outcome.message }, HttpStatus.FORBIDDEN);
      case 'conflict':
        throw new HttpException({ error: 'conflict', message: outcome.message }, HttpStatus.CONFLICT);
      default: {
        const unreachable: never = outcome;
        throw new Error(`unhandled ${String(unreachable)}`);
      }
    }
  }

  @Get()
  @ApiOperation({ summary: 'The latest version of every policy, the built-in default included.' })
  @ContractResponse(200, PolicyList, 'One item per policy id.')
  async list() {
    return { items: await this.catalog.inForce() };
  }

  @Get(':policyId/versions/:version')
  @ApiOperation({ summary: 'One policy version, in full.' })
  @ContractResponse(200, PublishedPolicy, 'The policy document with its content hash.')
  async get(@Param('policyId') policyId: string, @Param('version') versionParam: string) {
    if (!POLICY_ID_PATTERN.test(policyId)) throw badRequest('policyId', 'must be a lower-case identifier');
    const version = parsePositiveInt(versionParam, 'version');
    const policy = await this.catalog.version(policyId, version);
    if (!policy) throw notFound(`policy ${policyId} v${version} is not published`);
    return { ...policy, contentHash: policyContentHash(policy) };
  }
}
