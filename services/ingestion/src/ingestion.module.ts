import { Module, type DynamicModule } from '@nestjs/common';
import { HealthController, readinessProviders, shutdownProviders, type ReadinessCheck } from '@modelreg/service-runtime';
import { ArtifactsController } from './artifacts/artifacts.controller';
import type { IngestionDependencies } from './ingestion-dependencies';
import { INGESTION_CAPABILITIES, INGESTION_DEPENDENCIES } from './ingestion.constants';
import { RunRegistrationService } from './runs/run-registration.service';
import { RunsController } from './runs/runs.controller';

@Module({})
export class IngestionModule {
  static forRoot(deps: IngestionDependencies, readiness: ReadinessCheck[], close: () => Promise<void>): DynamicModule {
    return {
      module: IngestionModule,
      controllers: [RunsController, ArtifactsController, HealthController],
      providers: [
        { provide: INGESTION_DEPENDENCIES, useValue: deps },
        ...readinessProviders(readiness, INGESTION_CAPABILITIES),
        ...shutdownProviders(close),
        RunRegistrationService,
      ],
    };
  }
}
