import type { Capability } from '@modelreg/service-runtime';

export const INGESTION_DEPENDENCIES = 'INGESTION_DEPENDENCIES';
export const INGESTION_SCHEMA = 'ingestion';
export const SERVICE_NAME = 'ingestion';

/**
 * /health/ready?capability=: `register` needs Postgres only (Kafka outages are absorbed by the outbox);
 * `upload` needs S3; `submissions` (consuming run-submissions) needs Kafka and the consumer.
 */
export const INGESTION_CAPABILITIES: readonly Capability[] = [
  { name: 'register', needs: ['postgres'] },
  { name: 'upload', needs: ['s3'] },
  { name: 'submissions', needs: ['postgres', 'kafka', 'consumer'] },
];
