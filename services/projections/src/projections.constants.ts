import type { Capability } from '@modelreg/service-runtime';

export const PROJECTIONS_QUERIES = 'PROJECTIONS_QUERIES';
export const PROJECTIONS_REBUILDER = 'PROJECTIONS_REBUILDER';
export const PROJECTIONS_SCHEMA = 'projections';
export const SERVICE_NAME = 'projections';

/**
 * /health/ready?capability=: `reads` (every query) needs Postgres only; `ingest` (keeping the read models
 * current) needs Kafka and the consumer.
 */
export const PROJECTIONS_CAPABILITIES: readonly Capability[] = [
  { name: 'reads', needs: ['postgres'] },
  { name: 'ingest', needs: ['postgres', 'kafka', 'consumer'] },
];
