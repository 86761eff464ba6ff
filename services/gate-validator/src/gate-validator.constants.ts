import type { Capability } from '@modelreg/service-runtime';

export const SERVICE_NAME = 'gate-validator';
export const GATES_SCHEMA = 'gates';
export const GATE_VALIDATOR_DEPENDENCIES = 'GATE_VALIDATOR_DEPENDENCIES';

/**
 * /health/ready?capability=: `policies` (HTTP policies, decisions, re-evaluation) needs Postgres only (events
 * wait in the outbox); `evaluate` (consuming) needs Kafka and the consumer.
 */
export const GATE_VALIDATOR_CAPABILITIES: readonly Capability[] = [
  { name: 'policies', needs: ['postgres'] },
  { name: 'evaluate', needs: ['postgres', 'kafka', 'consumer'] },
];
