import type { EventCodec, TopicNames } from '@modelreg/events';
import type { Pool } from '@modelreg/postgres';
import type { OutboxRelay } from '@modelreg/service-runtime';
import type { DecisionTrust } from './state/decision-trust';

/** Connections and settings built once at boot and injected. */
export interface DeploymentTrackerDependencies {
  pool: Pool;
  codec: EventCodec;
  topics: TopicNames;
  relay: OutboxRelay;
  producer: string;
  /** How far in the future a reported timestamp may be, ms. */
  maxClockSkewMs: number;
  /** MAX_EVENT_BYTES: a request whose event would be larger is refused before anything is written. */
  maxEventBytes: number;
  /** Believes a stored gate decision only while its signature holds; null without EVENT_KEYS_DIR. */
  decisionTrust: DecisionTrust | null;
}
