import { Module, type DynamicModule } from '@nestjs/common';
import { HealthController, READINESS_CHECKS, shutdownProviders, type ReadinessCheck } from '@modelreg/service-runtime';

@Module({})
export class DeploymentTrackerModule {
  static forRoot(readiness: ReadinessCheck[], close: () => Promise<void>): DynamicModule {
    return {
      module: DeploymentTrackerModule,
      controllers: [HealthController],
      providers: [{ provide: READINESS_CHECKS, useValue: readiness }, ...shutdownProviders(close)],
    };
  }
}
