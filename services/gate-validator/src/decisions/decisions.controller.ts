import { Controller, Get, HttpException, HttpStatus, Inject, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { z } from 'zod';
import {
  gateDecisionJson,
  GateDecisionList,
  GateDecisionSchema,
  POLICY_ID_PATTERN,
  policyContentHash,
  PublishedPolicy,
  ReEvaluationRequest,
} from '@modelreg/gates';
import {
  badRequest,
  ContractBody,
  ContractResponse,
  notFound,
  Origin,
  parseModelName,
  parsePositiveInt,
  type RequestOrigin,
} from '@modelreg/service-runtime';
import type { GateValidatorDependencies } from '../gate-validator-dependencies';
import { GATE_VALIDATOR_DEPENDENCIES } from '../gate-validator.constants';
import { PolicyCatalogService } from '../policies/policy-catalog.service';
import { GateEvaluationService } from './gate-evaluation.service';
import { GatePlacementList } from './decisions.contract';
import { Requires } from '@modelreg/auth';

@ApiTags('decisions')
@Requires('reader')
@Controller('v1/models/:modelName')
export class DecisionsController {
  constructor(
    private readonly evaluations: GateEvaluationService,
    private readonly policies: PolicyCatalogService,
    @Inject(GATE_VALIDATOR_DEPENDENCIES) private readonly deps: GateValidatorDependencies,
  ) {}

  @Post('versions/:version/evaluations')
  @Requires('policy-admin')
  @ApiOperation({
    summary: 'Re-evaluate a version',
    description:
      'Against the current baseline, under the policy bound to the model or the one named in the body. ' +
      'Appends a new GateEvaluated; earlier decisions are never rewritten.',
  })
  @ContractResponse(201, GateDecisionSchema, 'The new decision, with every check.')
  @ApiResponse({ status: 404, description: 'Unknown version or policy.' })
  async reEvaluate(
    @Param('modelName') modelNameParam: string,
    @Param('version') versionParam: string,
    @ContractBody(ReEvaluationRequest, { required: false }) body: z.input<typeof ReEvaluationRequest> | undefined,
    @Origin() origin: RequestOrigin,
  ) {
    const modelName = parseModelName(modelNameParam);
    const modelVersion = parsePositiveInt(versionParam, 'version');
    const policy = await this.requestedPolicy(body ?? {});
    const request = { modelName, modelVersion, origin, requestedAt: Date.now(), ...(policy ? { policy } : {}) };
    const decision = await this.evaluations.reEvaluate(request);
    if (!decision) throw notFound(`${modelName} v${modelVersion} is not registered (or not yet seen by the gate)`);
    if (!decision.ok) throw new HttpException({ error: 'not_evaluable', message: decision.reason }, HttpStatus.CONFLICT);
    this.deps.relay.nudge();
    return gateDecisionJson(decision.event);
  }

  @Get('versions/:version/decisions')
  @ApiOperation({ summary: 'Every gate decision on a version, oldest first, each with all its checks.' })
  @ContractResponse(200, GateDecisionList, 'The decisions, oldest first.')
  async decisions(@Param('modelName') modelNameParam: string, @Param('version') versionParam: string) {
    const modelName = parseModelName(modelNameParam);
    const modelVersion = parsePositiveInt(versionParam, 'version');
    return { items: (await this.evaluations.decisions(modelName, modelVersion)).map(gateDecisionJson) };
  }

  @Get('placements')
  @ApiOperation({
    summary: 'What serves each placement of the model, as the gate sees it: the versions its decisions compare candidates with.',
  })
  @ContractResponse(200, GatePlacementList, 'One item per placement of the model.')
  async placements(@Param('modelName') modelNameParam: string) {
    return { items: await this.evaluations.placements(parseModelName(modelNameParam)) };
  }

  @Get('policy')
  @ApiOperation({ summary: 'The policy that governs this model now.' })
  @ContractResponse(200, PublishedPolicy, 'The policy document with its content hash.')
  async policy(@Param('modelName') modelNameParam: string) {
    const modelName = parseModelName(modelNameParam);
    const policy = await this.policies.governing(modelName);
    return { ...policy, contentHash: policyContentHash(policy) };
  }

  /** The contract checked the types; whether the id is well formed and the pair complete is ours. */
  private async requestedPolicy({ policyId, policyVersion }: z.input<typeof ReEvaluationRequest>) {
    if (policyId === undefined) return null;
    if (!POLICY_ID_PATTERN.test(policyId)) throw badRequest('policyId', 'must be a lower-case identifier');
    if (policyVersion === undefined) throw badRequest('policyVersion', 'must be a positive integer when policyId is given');
    const policy = await this.policies.version(policyId, policyVersion);
    if (!policy) throw notFound(`policy ${policyId} v${policyVersion} is not published`);
    return policy;
  }
}
