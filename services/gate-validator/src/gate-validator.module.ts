import { Module, type DynamicModule } from '@nestjs/common';
import { HealthController, READINESS_CHECKS, shutdownProviders, type ReadinessCheck } from '@modelreg/service-runtime';

@Module({})
export class GateValidatorModule {
  static forRoot(readiness: ReadinessCheck[], close: () => Promise<void>): DynamicModule {
    return {
      module: GateValidatorModule,
      controllers: [HealthController],
      providers: [{ provide: READINESS_CHECKS, useValue: readiness }, ...shutdownProviders(close)],
    };
  }
}
