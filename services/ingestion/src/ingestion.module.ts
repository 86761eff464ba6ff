import { Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { HealthController, READINESS_CHECKS, type ReadinessCheck } from '@modelreg/service-runtime';
import { ArtifactsController } from './artifacts/artifacts.controller';
import type { IngestionDependencies } from './ingestion-dependencies';
import { INGESTION_DEPENDENCIES } from './ingestion.constants';
import { RunRegistrationService } from './runs/run-registration.service';
import { RunsController } from './runs/runs.controller';

const SHUTDOWN = 'INGESTION_SHUTDOWN';

class IngestionShutdown implements OnApplicationShutdown {
  constructor(@Inject(SHUTDOWN) private readonly close: () => Promise<void>) {}
  async onApplicationShutdown(): Promise<void> {
    await this.close();
  }
}

@Module({})
export class IngestionModule {
  static forRoot(deps: IngestionDependencies, readiness: ReadinessCheck[], close: () => Promise<void>): DynamicModule {
    return {
      module: IngestionModule,
      controllers: [RunsController, ArtifactsController, HealthController],
      providers: [
        { provide: INGESTION_DEPENDENCIES, useValue: deps },
        { provide: READINESS_CHECKS, useValue: readiness },
        { provide: SHUTDOWN, useValue: close },
        IngestionShutdown,
        RunRegistrationService,
      ],
    };
  }
}
