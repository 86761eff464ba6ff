import { Module, type DynamicModule } from '@nestjs/common';
import { HealthController, READINESS_CHECKS, shutdownProviders, type ReadinessCheck } from '@modelreg/service-runtime';
import { PROJECTIONS_QUERIES } from './projections.constants';
import type { ProjectionQueries } from './query/projection-queries';
import { ModelsController } from './query/models.controller';
import { SearchController } from './query/search.controller';

@Module({})
export class ProjectionsModule {
  static forRoot(queries: ProjectionQueries, readiness: ReadinessCheck[], close: () => Promise<void>): DynamicModule {
    return {
      module: ProjectionsModule,
      controllers: [ModelsController, SearchController, HealthController],
      providers: [
        { provide: PROJECTIONS_QUERIES, useValue: queries },
        { provide: READINESS_CHECKS, useValue: readiness },
        ...shutdownProviders(close),
      ],
    };
  }
}
