import { Module, type DynamicModule } from '@nestjs/common';
import { HealthController, readinessProviders, shutdownProviders, type ReadinessCheck } from '@modelreg/service-runtime';
import type { DeploymentTrackerDependencies } from './deployment-tracker-dependencies';
import { DEPLOYMENT_TRACKER_CAPABILITIES, DEPLOYMENT_TRACKER_DEPENDENCIES } from './deployment-tracker.constants';
import { PromotionService } from './promotions/promotion.service';
import { PromotionsController } from './promotions/promotions.controller';
import { DeploymentReportService } from './reports/deployment-report.service';
import { LogEventsHandler } from './reports/log-events.handler';
import { PlacementQueryService } from './reports/placement-query.service';
import { PlacementsController } from './reports/placements.controller';
import { ReportsController } from './reports/reports.controller';

@Module({})
export class DeploymentTrackerModule {
  static forRoot(deps: DeploymentTrackerDependencies, readiness: ReadinessCheck[], close: () => Promise<void>): DynamicModule {
    return {
      module: DeploymentTrackerModule,
      controllers: [ReportsController, PlacementsController, PromotionsController, HealthController],
      providers: [
        { provide: DEPLOYMENT_TRACKER_DEPENDENCIES, useValue: deps },
        ...readinessProviders(readiness, DEPLOYMENT_TRACKER_CAPABILITIES),
        ...shutdownProviders(close),
        DeploymentReportService,
        LogEventsHandler,
        PromotionService,
        PlacementQueryService,
      ],
    };
  }
}
