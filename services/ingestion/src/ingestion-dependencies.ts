import type { ContentAddressedStore } from '@modelreg/artifact-store';
import type { EventCodec, TopicNames } from '@modelreg/events';
import type { Pool } from '@modelreg/postgres';
import type { OutboxRelay } from '@modelreg/service-runtime';

/** Connections built once at boot and injected into controllers and services. */
export interface IngestionDependencies {
  pool: Pool;
  codec: EventCodec;
  topics: TopicNames;
  store: ContentAddressedStore;
  relay: OutboxRelay;
  instance: string;
  /** MAX_EVENT_BYTES: a request whose event would be larger is refused before anything is written. */
  maxEventBytes: number;
}
