import { Module, type DynamicModule } from '@nestjs/common';
import { HealthController, readinessProviders, shutdownProviders, type ReadinessCheck } from '@modelreg/service-runtime';
import { PROJECTIONS_CAPABILITIES, PROJECTIONS_QUERIES, PROJECTIONS_REBUILDER } from './projections.constants';
import type { ProjectionQueries } from './query/projection-queries';
import { DashboardController } from './dashboard/dashboard.controller';
import { ModelsController } from './query/models.controller';
import { SearchController } from './query/search.controller';
import type { ProjectionRebuilder } from './replay/projection-rebuilder';
import { ReplayController, StateVerificationController } from './replay/replay.controller';

@Module({})
export class ProjectionsModule {
  static forRoot(
    queries: ProjectionQueries,
    rebuilder: ProjectionRebuilder,
    readiness: ReadinessCheck[],
    close: () => Promise<void>,
  ): DynamicModule {
    return {
      module: ProjectionsModule,
      controllers: [
        ModelsController,
        SearchController,
        ReplayController,
        StateVerificationController,
        DashboardController,
        HealthController,
      ],
      providers: [
        { provide: PROJECTIONS_QUERIES, useValue: queries },
        { provide: PROJECTIONS_REBUILDER, useValue: rebuilder },
        ...readinessProviders(readiness, PROJECTIONS_CAPABILITIES),
        ...shutdownProviders(close),
      ],
    };
  }
}
