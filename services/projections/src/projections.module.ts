import { Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { HealthController, READINESS_CHECKS, type ReadinessCheck } from '@modelreg/service-runtime';
import { PROJECTIONS_QUERIES } from './projections.constants';
import type { ModelQueries } from './query/model-queries';
import { ModelsController } from './query/models.controller';

const SHUTDOWN = 'PROJECTIONS_SHUTDOWN';

class ProjectionsShutdown implements OnApplicationShutdown {
  constructor(@Inject(SHUTDOWN) private readonly close: () => Promise<void>) {}
  async onApplicationShutdown(): Promise<void> {
    await this.close();
  }
}

@Module({})
export class ProjectionsModule {
  static forRoot(queries: ModelQueries, readiness: ReadinessCheck[], close: () => Promise<void>): DynamicModule {
    return {
      module: ProjectionsModule,
      controllers: [ModelsController, HealthController],
      providers: [
        { provide: PROJECTIONS_QUERIES, useValue: queries },
        { provide: READINESS_CHECKS, useValue: readiness },
        { provide: SHUTDOWN, useValue: close },
        ProjectionsShutdown,
      ],
    };
  }
}
