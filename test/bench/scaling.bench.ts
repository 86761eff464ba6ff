import { createHash } from 'node:crypto';
import { Client } from 'pg';
import { EventCodec, SchemaCatalog, topicNames } from '@modelreg/events';
import { exampleRunSubmissionJson } from '@modelreg/lineage';
import { bearer, createTestEnvironment, startService, testKafka, type RunningService, type TestEnvironment } from '@modelreg/testing';
import { round } from './bench-stats';
import { registration } from './projections.bench';
import { setting, type BenchContext, type BenchResult } from './bench-context';

const codec = new EventCodec(SchemaCatalog.load());

interface InstanceRun {
  registrationsPerS: number;
  registrations: number;
  failures: number;
  projectionEventsPerS: number;
}

/**
 * BENCH_SCALING_SECONDS (default 20), BENCH_SCALING_CONCURRENCY (default 16),
 * BENCH_SCALING_EVENTS (default 20000), BENCH_SCALING_PARTITIONS (default 6): the same work with
 * one and with two instances per service. Registrations/s: metadata-only `POST /v1/runs` spread
 * over the ingestion instances (one version counter per model in Postgres, one outbox relay at a
 * time), for the given seconds. Projection events/s: RunRegistered events seeded on the lineage
 * topic, projected by that many projections instances sharing the partitions, from the first to
 * the last version visible in the read model (the second instance's join, a rebalance, included).
 */
export async function scalingBenchmark(context: BenchContext): Promise<BenchResult> {
  const seconds = setting(context, 'BENCH_SCALING_SECONDS', 20);
  const concurrency = setting(context, 'BENCH_SCALING_CONCURRENCY', 16);
  const partitions = setting(context, 'BENCH_SCALING_PARTITIONS', 6);
  const events = setting(context, 'BENCH_SCALING_EVENTS', 20_000);
  const runs: Record<number, InstanceRun> = {};
  for (const instances of [1, 2]) {
    runs[instances] = await measure(context, instances, { seconds, concurrency, partitions, events });
    context.log(`${instances} instance(s): ${JSON.stringify(runs[instances])}`);
  }
  const one = runs[1] as InstanceRun;
  const two = runs[2] as InstanceRun;
  return {
    name: 'scaling: one vs two instances per service',
    figures: {
      seconds,
      concurrency,
      partitions,
      projected_events: events,
      registrations_per_s_1: one.registrationsPerS,
      registrations_per_s_2: two.registrationsPerS,
      registrations_ratio: round(two.registrationsPerS / one.registrationsPerS),
      projection_events_per_s_1: one.projectionEventsPerS,
      projection_events_per_s_2: two.projectionEventsPerS,
      projection_ratio: round(two.projectionEventsPerS / one.projectionEventsPerS),
      failures: one.failures + two.failures,
    },
    notes:
      'Every instance shares the same Postgres, Kafka and CPU cores as the load generator; ' +
      'on a 2-core machine a ratio near 1 shows no shared bottleneck breaks, not the gain of real hardware.',
  };
}

async function measure(
  context: BenchContext,
  instances: number,
  work: { seconds: number; concurrency: number; partitions: number; events: number },
): Promise<InstanceRun> {
  const environment = await createTestEnvironment(`bench-scale-${instances}`);
  const env: Record<string, string> = { ...environment.env, LOG_LEVEL: 'error', TOPIC_PARTITIONS: String(work.partitions) };
  const started: RunningService[] = [];
  const startInstances = async (name: 'ingestion' | 'projections') => {
    const running = await Promise.all(
      Array.from({ length: instances }, (_, index) =>
        startService(name, { ...env, SERVICE_INSTANCE: `${name}-${index + 1}` }, { compiled: true }),
      ),
    );
    started.push(...running);
    return running;
  };
  try {
    const ingestion = await startInstances('ingestion');
    const { registrations, failures, elapsedS } = await register(ingestion, work.seconds, work.concurrency);
    await waitForLog(env, topicNames(env['TOPIC_PREFIX'] as string).lineage, registrations);
    await Promise.all(ingestion.map((service) => service.stop()));
    await seedLineage(environment, work.events);
    context.log(`${instances} instance(s): ${registrations} registrations, ${work.events} more RunRegistered seeded; projecting`);
    const projecting = startInstances('projections');
    const projectionEventsPerS = await projectionRate(environment.databaseUrl, registrations + work.events, 600_000);
    await projecting;
    return { registrationsPerS: round(registrations / elapsedS, 1), registrations, failures, projectionEventsPerS };
  } finally {
    await Promise.all(started.map((service) => service.stop()));
    await environment.dispose();
  }
}

/** `count` versions over 100 models appended to the lineage topic (models other than the registrations'). */
async function seedLineage(environment: TestEnvironment, count: number): Promise<void> {
  const env = environment.env;
  const producer = testKafka('bench-scaling', env).producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    const topic = topicNames(env['TOPIC_PREFIX'] as string).lineage;
    for (let seeded = 0; seeded < count; seeded += 1000) {
      const batch = Array.from({ length: Math.min(1000, count - seeded) }, (_, index) =>
        registration(1000 + ((seeded + index) % 100), Math.floor((seeded + index) / 100) + 1),
      );
      await producer.send({
        topic,
        acks: -1,
        messages: batch.map((event) => ({
          key: event.data.envelope.subject.modelName,
          value: environment.sealer.seal('lineage', codec.encode(event)),
        })),
      });
    }
  } finally {
    await producer.disconnect();
  }
}

/** Metadata-only registrations from `concurrency` clients, each request to the next instance. */
async function register(
  ingestion: RunningService[],
  seconds: number,
  concurrency: number,
): Promise<{ registrations: number; failures: number; elapsedS: number }> {
  const bytes = Buffer.from('bench artifact');
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  await fetch(`${(ingestion[0] as RunningService).url}/v1/artifacts/${sha256}`, {
    method: 'PUT',
    body: bytes,
    headers: { ...bearer('trainer'), 'content-type': 'application/octet-stream' },
  });
  let counter = 0;
  let registrations = 0;
  let failures = 0;
  const deadline = performance.now() + seconds * 1000;
  const worker = async () => {
    while (performance.now() < deadline) {
      counter += 1;
      const target = ingestion[counter % ingestion.length] as RunningService;
      const body = exampleRunSubmissionJson(`bench-model-${counter % 50}`, `bench-run-${counter}`, sha256, bytes.length);
      const response = await fetch(`${target.url}/v1/runs`, {
        method: 'POST',
        body: JSON.stringify(body),
        headers: { ...bearer('trainer'), 'content-type': 'application/json' },
      });
      await response.arrayBuffer();
      if (response.status === 201) registrations += 1;
      else failures += 1;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { registrations, failures, elapsedS: (performance.now() - started) / 1000 };
}

/** Until the topic holds `count` records (the outbox relays have appended every registration). */
async function waitForLog(env: Record<string, string>, topic: string, count: number): Promise<void> {
  const admin = testKafka('bench-scaling', env).admin();
  await admin.connect();
  try {
    for (const deadline = Date.now() + 120_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 250))) {
      const offsets = await admin.fetchTopicOffsets(topic);
      if (offsets.reduce((sum, partition) => sum + Number(partition.high), 0) >= count) return;
    }
    throw new Error(`${topic} did not reach ${count} records`);
  } finally {
    await admin.disconnect();
  }
}

/** Events per second into the read model, from the first visible version to the last. */
async function projectionRate(databaseUrl: string, total: number, timeoutMs: number): Promise<number> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    let first: { at: number; count: number } | null = null;
    for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) {
      const count = await db.query('SELECT count(*)::int AS n FROM projections.model_versions').then(
        (result) => (result.rows[0] as { n: number }).n,
        () => 0,
      );
      if (count > 0 && !first) first = { at: performance.now(), count };
      if (first && count >= total) return round((total - first.count) / ((performance.now() - first.at) / 1000), 1);
    }
    throw new Error(`projections did not reach ${total} versions within ${timeoutMs} ms`);
  } finally {
    await db.end();
  }
}
