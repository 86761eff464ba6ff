export { bootstrapService, exitOnFatal } from './bootstrap-service';
export type { ServiceBootstrapOptions } from './bootstrap-service';
export { HealthController } from './health.controller';
export { NestJsonLogger } from './nest-json-logger';
export { runReadinessChecks } from './readiness-check';
export type { ReadinessCheck, ReadinessReport } from './readiness-check';
export { READINESS_CHECKS, LOGGER } from './service-runtime.constants';
export { connectInfrastructure } from './infrastructure';
export type { ServiceInfrastructure, InfrastructureOptions } from './infrastructure';
