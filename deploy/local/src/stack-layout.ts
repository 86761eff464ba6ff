import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { integerInRange, type Env } from '@modelreg/config';

export const REPO_ROOT = resolve(__dirname, '../../..');
export const LOCAL_DIR = resolve(REPO_ROOT, '.local');
export const STACK_ENV_FILE = resolve(LOCAL_DIR, 'stack.env');
/** The services' event signing keys and the keyring (EVENT_KEYS_DIR). */
export const EVENT_KEYS_DIR = resolve(LOCAL_DIR, 'event-keys');

/** Ports of one checkout. Each component's port can be set alone; all default to a base. */
export interface PortPlan {
  kafka: number;
  kafkaController: number;
  postgres: number;
  s3: number;
  ingestion: number;
  gateValidator: number;
  deploymentTracker: number;
  projections: number;
  issuer: number;
}

/** Linux hands out outgoing connections' local ports from 32768 up (ip_local_port_range). */
export const EPHEMERAL_PORTS_FROM = 32_768;

/**
 * The default base port is derived from the checkout's path, so two checkouts on one machine
 * get different ports unless someone sets the same MODELREG_PORT_BASE on purpose. All of a
 * checkout's ports stay below the ephemeral range: there, a connection Kafka had just opened to
 * itself once held Postgres's port (38152) when Postgres started.
 */
export function defaultPortBase(checkoutPath: string): number {
  const hash = createHash('sha256').update(checkoutPath).digest().readUInt32BE(0);
  return 20_000 + (hash % 1_270) * 10;
}

export function planPorts(env: Env, checkoutPath: string = REPO_ROOT): PortPlan {
  const base = integerInRange(env, 'MODELREG_PORT_BASE', defaultPortBase(checkoutPath), 1024, 65_000);
  const pick = (name: string, offset: number) => integerInRange(env, name, base + offset, 1, 65_535);
  return {
    kafka: pick('KAFKA_PORT', 0),
    kafkaController: pick('KAFKA_CONTROLLER_PORT', 1),
    postgres: pick('POSTGRES_PORT', 2),
    s3: pick('S3_PORT', 3),
    ingestion: pick('INGESTION_PORT', 4),
    gateValidator: pick('GATE_VALIDATOR_PORT', 5),
    deploymentTracker: pick('DEPLOYMENT_TRACKER_PORT', 6),
    projections: pick('PROJECTIONS_PORT', 7),
    issuer: pick('AUTH_ISSUER_PORT', 8),
  };
}
