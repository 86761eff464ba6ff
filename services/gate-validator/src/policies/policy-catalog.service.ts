import { Inject, Injectable } from '@nestjs/common';
import { DEFAULT_POLICY, governingPolicy, policiesInForce, policyContentHash, type GatePolicy } from '@modelreg/gates';
import type { GateValidatorDependencies } from '../gate-validator-dependencies';
import { GATE_VALIDATOR_DEPENDENCIES } from '../gate-validator.constants';
import { gateStore } from '../state/gate-store';

export interface PolicySummary {
  policyId: string;
  version: number;
  contentHash: string;
  models: string[];
  builtIn: boolean;
}

/** Reads published policies: the ones in force, one version, and the one governing a model. */
@Injectable()
export class PolicyCatalogService {
  constructor(@Inject(GATE_VALIDATOR_DEPENDENCIES) private readonly deps: GateValidatorDependencies) {}

  /** The latest version of every policy, the built-in default included. */
  async inForce(): Promise<PolicySummary[]> {
    const policies = policiesInForce(await gateStore.latestPolicies(this.deps.pool));
    return policies.map((policy) => ({
      policyId: policy.policyId,
      version: policy.version,
      contentHash: policyContentHash(policy),
      models: policy.models,
      builtIn: policy === DEFAULT_POLICY,
    }));
  }

  /** A published policy version (the built-in default is version 1 of "default"), or null. */
  version(policyId: string, version: number): Promise<GatePolicy | null> {
    return gateStore.policyVersion(this.deps.pool, policyId, version);
  }

  /** The policy governing a model now. */
  async governing(modelName: string): Promise<GatePolicy> {
    return governingPolicy(modelName, await gateStore.latestPolicies(this.deps.pool));
  }
}
