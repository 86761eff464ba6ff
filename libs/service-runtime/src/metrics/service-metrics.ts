import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Pool } from '@modelreg/postgres';

/** Where a consumer stands on one partition (ConsumerProgress). */
export interface PartitionLag {
  topic: string;
  partition: number;
  lag: bigint;
}

/** Counters of an outbox relay (OutboxRelay.counters()). */
export interface RelayCounters {
  appended: number;
  deadLettered: number;
  foundOnLog: number;
}

/** Seconds; from a fast lookup to a large upload's registration. */
const HTTP_BUCKETS = [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * The Prometheus metrics of one service process, served at GET /metrics. Every name starts with
 * `modelreg_`; every series carries a `service` label. Values that live elsewhere (outbox depth in
 * Postgres, consumer lag, relay counters) are read at scrape time, so nothing is counted twice.
 */
export class ServiceMetrics {
  readonly registry = new Registry();
  /** Per route template (never the raw path, which would explode the series count). */
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>;
  readonly deadLetters: Counter<'reason'>;
  readonly gateDecisions: Counter<'verdict' | 'trigger'>;

  constructor(service: string) {
    this.registry.setDefaultLabels({ service });
    collectDefaultMetrics({ register: this.registry, prefix: 'modelreg_' });
    this.httpDuration = new Histogram({
      name: 'modelreg_http_request_duration_seconds',
      help: 'HTTP request latency by method, route template and status.',
      labelNames: ['method', 'route', 'status'],
      buckets: HTTP_BUCKETS,
      registers: [this.registry],
    });
    this.deadLetters = new Counter({
      name: 'modelreg_dead_letters_total',
      help: 'Records sent to the dead-letter topic by this service, by kind of reason.',
      labelNames: ['reason'],
      registers: [this.registry],
    });
    this.gateDecisions = new Counter({
      name: 'modelreg_gate_decisions_total',
      help: 'Gate decisions made, by verdict and trigger.',
      labelNames: ['verdict', 'trigger'],
      registers: [this.registry],
    });
    this.registerWatchedMetrics();
  }

  /** Counts dead letters by the kind of their reason (the words before the first colon). */
  countDeadLetters(reasons: readonly string[]): void {
    for (const reason of reasons) this.deadLetters.inc({ reason: deadLetterReasonKind(reason) });
  }

  /**
   * Outbox depth and the age of its oldest row (read from Postgres at each scrape), and the relay's counters.
   * Watching the same schema again replaces the earlier relay.
   */
  watchOutbox(schema: string, pool: Pool, counters: () => RelayCounters): void {
    this.outboxes.set(schema, { pool, counters });
    // A new relay counts from 0: what it reports from now on adds to the totals.
    this.relayTotals.delete(schema);
  }

  /** Records waiting per partition of a consumer group; watching the same group again replaces the earlier consumer. */
  watchConsumer(groupId: string, lags: () => PartitionLag[]): void {
    this.consumers.set(groupId, lags);
  }

  /** Stops reporting a consumer group (a replay's, after it is done). */
  unwatchConsumer(groupId: string): void {
    this.consumers.delete(groupId);
  }

  private readonly outboxes = new Map<string, { pool: Pool; counters: () => RelayCounters }>();
  private readonly consumers = new Map<string, () => PartitionLag[]>();
  private readonly relayTotals = new Map<string, RelayCounters>();

  private registerWatchedMetrics(): void {
    const outboxes = this.outboxes;
    const consumers = this.consumers;
    const relayTotals = this.relayTotals;
    const outboxQuery = async (sql: string) => {
      const rows: Array<{ outbox: string; value: number }> = [];
      for (const [schema, { pool }] of outboxes) {
        const result = await pool.query(sql.replace('$SCHEMA', schema)).catch(() => null);
        if (result) rows.push({ outbox: schema, value: (result.rows[0] as { value: number }).value });
      }
      return rows;
    };
    new Gauge({
      name: 'modelreg_outbox_depth',
      help: 'Events committed and not yet appended to Kafka.',
      labelNames: ['outbox'],
      registers: [this.registry],
      async collect() {
        for (const row of await outboxQuery('SELECT count(*)::int AS value FROM $SCHEMA.outbox'))
          this.set({ outbox: row.outbox }, row.value);
      },
    });
    new Gauge({
      name: 'modelreg_outbox_oldest_age_seconds',
      help: 'Age of the oldest event waiting in the outbox (0 when empty).',
      labelNames: ['outbox'],
      registers: [this.registry],
      async collect() {
        for (const row of await outboxQuery(
          'SELECT coalesce(extract(epoch FROM now() - min(created_at)), 0)::float8 AS value FROM $SCHEMA.outbox',
        ))
          this.set({ outbox: row.outbox }, row.value);
      },
    });
    for (const [key, name, help] of [
      ['appended', 'modelreg_outbox_appended_total', 'Outbox events appended to Kafka.'],
      ['deadLettered', 'modelreg_outbox_refused_total', 'Outbox events the broker refused for good, moved to the dead-letter topic.'],
      ['foundOnLog', 'modelreg_outbox_found_on_log_total', 'Outbox events found already on the log after a crash, not appended again.'],
    ] as const) {
      new Counter({
        name,
        help,
        labelNames: ['outbox'],
        registers: [this.registry],
        collect() {
          for (const [schema, { counters }] of outboxes) {
            const reported = relayTotals.get(schema) ?? { appended: 0, deadLettered: 0, foundOnLog: 0 };
            const now = counters()[key];
            this.inc({ outbox: schema }, now - reported[key]);
            relayTotals.set(schema, { ...reported, [key]: now });
          }
        },
      });
    }
    new Gauge({
      name: 'modelreg_consumer_lag_records',
      help: 'Records waiting per partition: high watermark last fetched minus the next offset to apply.',
      labelNames: ['group', 'topic', 'partition'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const [group, lags] of consumers)
          for (const lag of lags()) this.set({ group, topic: lag.topic, partition: String(lag.partition) }, Number(lag.lag));
      },
    });
  }

  /** A value read at each scrape, e.g. replay progress. */
  watchValue(name: string, help: string, read: () => number): void {
    new Gauge({
      name,
      help,
      registers: [this.registry],
      collect() {
        this.set(read());
      },
    });
  }
}

/** "handler failed: …" → "handler_failed"; "undecodable: …" → "undecodable". */
export function deadLetterReasonKind(reason: string): string {
  const kind = (reason.split(':')[0] ?? '')
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return kind.length > 0 && kind.length <= 40 ? kind : 'other';
}
