import { Module, type DynamicModule } from '@nestjs/common';
import { HealthController, readinessProviders, shutdownProviders, type ReadinessCheck } from '@modelreg/service-runtime';
import { DecisionsController } from './decisions/decisions.controller';
import { GateEvaluationService } from './decisions/gate-evaluation.service';
import type { GateValidatorDependencies } from './gate-validator-dependencies';
import { GATE_VALIDATOR_CAPABILITIES, GATE_VALIDATOR_DEPENDENCIES } from './gate-validator.constants';
import { PoliciesController } from './policies/policies.controller';
import { PolicyCatalogService } from './policies/policy-catalog.service';
import { PolicyPublishingService } from './policies/policy-publishing.service';
import { GateRebuildService } from './rebuild/gate-rebuild.service';
import { RebuildController } from './rebuild/rebuild.controller';

@Module({})
export class GateValidatorModule {
  static forRoot(deps: GateValidatorDependencies, readiness: ReadinessCheck[], close: () => Promise<void>): DynamicModule {
    return {
      module: GateValidatorModule,
      controllers: [PoliciesController, DecisionsController, RebuildController, HealthController],
      providers: [
        { provide: GATE_VALIDATOR_DEPENDENCIES, useValue: deps },
        ...readinessProviders(readiness, GATE_VALIDATOR_CAPABILITIES),
        ...shutdownProviders(close),
        GateEvaluationService,
        PolicyPublishingService,
        PolicyCatalogService,
        GateRebuildService,
      ],
      exports: [GateEvaluationService],
    };
  }
}
