import type { EventCodec, TopicNames } from '@modelreg/events';
import type { Kafka } from '@modelreg/kafka';
import type { Pool } from '@modelreg/postgres';
import type { OutboxRelay, ServiceMetrics } from '@modelreg/service-runtime';

/** Connections and identity built once at boot and injected. */
export interface GateValidatorDependencies {
  pool: Pool;
  /** For reading the log from offset 0 (rebuild). */
  kafka: Kafka;
  codec: EventCodec;
  topics: TopicNames;
  relay: OutboxRelay;
  /** `gate-validator/<instance>`, the producer of policy events (decisions name the service alone, so a rebuild reproduces them). */
  producer: string;
  /** MAX_EVENT_BYTES: a request whose event would be larger is refused before anything is written. */
  maxEventBytes: number;
  /** Gate decisions by outcome (GET /metrics). */
  metrics: ServiceMetrics;
}
