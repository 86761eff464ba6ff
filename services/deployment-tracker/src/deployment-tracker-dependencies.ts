import type { EventCodec, TopicNames } from '@modelreg/events';
import type { Pool } from '@modelreg/postgres';
import type { OutboxRelay } from '@modelreg/service-runtime';

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
}
