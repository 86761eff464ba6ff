import { Module, type DynamicModule } from '@nestjs/common';
import { HealthController, READINESS_CHECKS, shutdownProviders, type ReadinessCheck } from '@modelreg/service-runtime';
import { PROJECTIONS_QUERIES } from './projections.constants';
import type { ModelQueries } from './query/model-queries';
import { ModelsController } from './query/models.controller';

@Module({})
export class ProjectionsModule {
  static forRoot(queries: ModelQueries, readiness: ReadinessCheck[], close: () => Promise<void>): DynamicModule {
    return {
      module: ProjectionsModule,
      controllers: [ModelsController, HealthController],
      providers: [
        { provide: PROJECTIONS_QUERIES, useValue: queries },
        { provide: READINESS_CHECKS, useValue: readiness },
        ...shutdownProviders(close),
      ],
    };
  }
}
