import type { Capability } from '@modelreg/service-runtime';

export const SERVICE_NAME = 'deployment-tracker';
export const DEPLOYMENTS_SCHEMA = 'deployments';
export const DEPLOYMENT_TRACKER_DEPENDENCIES = 'DEPLOYMENT_TRACKER_DEPENDENCIES';

/**
 * /health/ready?capability=: `reports` (HTTP reports, promotions, queries) needs Postgres only (events wait
 * in the outbox); `track` (consuming) needs Kafka and the consumer.
 */
export const DEPLOYMENT_TRACKER_CAPABILITIES: readonly Capability[] = [
  { name: 'reports', needs: ['postgres'] },
  { name: 'track', needs: ['postgres', 'kafka', 'consumer'] },
];
