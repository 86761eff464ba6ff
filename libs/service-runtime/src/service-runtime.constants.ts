/** Injection token: the ReadinessCheck[] a service's /health/ready runs. */
export const READINESS_CHECKS = 'READINESS_CHECKS';

/** Injection token: the service's Capability[] (what it can do and which checks each needs). */
export const READINESS_CAPABILITIES = 'READINESS_CAPABILITIES';
