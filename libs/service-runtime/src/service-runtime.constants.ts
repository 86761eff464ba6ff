/** Injection token: the ReadinessCheck[] a service's /health/ready runs. */
export const READINESS_CHECKS = 'READINESS_CHECKS';
