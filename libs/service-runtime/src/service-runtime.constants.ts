/** Injection token: the ReadinessCheck[] a service's /health/ready runs. */
export const READINESS_CHECKS = 'READINESS_CHECKS';
/** Injection token: the service's structured Logger. */
export const LOGGER = 'LOGGER';
