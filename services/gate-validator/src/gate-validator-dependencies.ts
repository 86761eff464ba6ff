import type { EventCodec, TopicNames } from '@modelreg/events';
import type { Pool } from '@modelreg/postgres';
import type { OutboxRelay } from '@modelreg/service-runtime';

/** Connections and identity built once at boot and injected. */
export interface GateValidatorDependencies {
  pool: Pool;
  codec: EventCodec;
  topics: TopicNames;
  relay: OutboxRelay;
  /** `gate-validator/<instance>`, the envelope's producer. */
  producer: string;
  /** MAX_EVENT_BYTES: a request whose event would be larger is refused before anything is written. */
  maxEventBytes: number;
}
