import { readKafkaSecurity } from '@modelreg/config';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { HEADER_EVENT_ID, KafkaEventPublisher } from '@modelreg/kafka';
import { createJsonLogger } from '@modelreg/logging';
import { createPool, withTransaction, type Pool } from '@modelreg/postgres';
import { migrateServiceSchema, OutboxRelay } from '@modelreg/service-runtime';
import {
  createTestEnvironment,
  eventually,
  readAllMessages,
  REPO_ROOT,
  testKafka,
  uniqueTopics,
  type TestEnvironment,
} from '@modelreg/testing';

const KILLS = 20;
/** More kills, only while none has yet landed between an append and its DELETE (the path this test exists for). */
const MAX_KILLS = 80;
const KEYS = ['model-0', 'model-1', 'model-2', 'model-3', 'model-4'];

/**
 * The outbox relay killed with SIGKILL again and again while rows are committed to its outbox:
 * every committed row reaches the log exactly once, each key in commit order.
 */
describe('outbox relay killed mid-batch', () => {
  const kafka = testKafka('outbox-relay-crash');
  let environment: TestEnvironment;
  let pool: Pool;

  beforeAll(async () => {
    environment = await createTestEnvironment('relay-crash');
    pool = createPool({ connectionString: environment.databaseUrl, applicationName: 'outbox-relay-crash-test', max: 4 });
  });

  afterAll(async () => {
    await pool?.end();
    await environment?.dispose();
  });

  it(`appends every committed row exactly once across ${KILLS} kill -9s under load`, async () => {
    const topics = await uniqueTopics(kafka, 'relay-crash', ['events', 'dead-letter'], 3);
    const schema = 'crash_outbox';
    await migrateServiceSchema(pool, schema, mkdtempSync(join(tmpdir(), 'no-service-migrations-')));
    const settings = {
      databaseUrl: environment.databaseUrl,
      brokers: environment.env['KAFKA_BROKERS']?.split(','),
      schema,
      deadLetterTopic: topics['dead-letter'],
      security: readKafkaSecurity(environment.env),
    };
    const startRelay = () => startRelayProcess(JSON.stringify(settings));
    // Rows go in the way every service queues them; this relay only queues (the killed processes append).
    const publisher = new KafkaEventPublisher(kafka);
    const logger = createJsonLogger({ service: 'outbox-relay-crash-test', level: 'warn' });
    const queue = new OutboxRelay({ pool, schema, kafka, publisher, deadLetterTopic: topics['dead-letter'] as string, logger });

    const committed: Array<{ eventId: string; key: string; sequence: number }> = [];
    const sequences = new Map(KEYS.map((key) => [key, 0]));
    let loading = true;
    const load = (async () => {
      while (loading) {
        const rows = KEYS.map((key) => ({ eventId: randomUUID(), key, sequence: (sequences.get(key) ?? 0) + 1 }));
        await withTransaction(pool, (client) =>
          queue.enqueue(
            client,
            rows.map((row) => ({
              topic: topics['events'] as string,
              key: row.key,
              value: Buffer.alloc(2_000 + Math.floor(Math.random() * 2_000), row.sequence % 256),
              headers: { [HEADER_EVENT_ID]: row.eventId, sequence: String(row.sequence) },
            })),
          ),
        );
        for (const row of rows) sequences.set(row.key, row.sequence);
        committed.push(...rows);
        await new Promise((r) => setTimeout(r, 50));
      }
    })();

    const firstQueued = () =>
      pool.query(`SELECT min(id)::text AS id FROM ${schema}.outbox`).then((r) => (r.rows[0] as { id: string | null }).id);
    const outputs: string[] = [];
    const windowHits = () =>
      outputs
        .join('')
        .split('\n')
        .filter((line) => line.includes('already on the log')).length;
    let kills = 0;
    try {
      // Each relay reports, as it starts, the rows its predecessor appended but did not delete.
      for (; kills < MAX_KILLS && (kills < KILLS || windowHits() === 0); kills++) {
        const before = await firstQueued();
        const relay = await startRelay();
        // Killed while it appends: once it has deleted a batch, at a random moment of the next ones.
        await eventually(firstQueued, (id) => id !== before, { timeoutMs: 60_000, intervalMs: 20, what: 'the relay appended a batch' });
        await new Promise((r) => setTimeout(r, Math.random() * 300));
        relay.process.kill('SIGKILL');
        await relay.exited;
        outputs.push(relay.output());
      }
    } finally {
      loading = false;
      await load;
      await publisher.close();
    }

    const last = await startRelay();
    await eventually(
      () => pool.query(`SELECT count(*)::int AS n FROM ${schema}.outbox`).then((r) => (r.rows[0] as { n: number }).n),
      (n) => n === 0,
      { timeoutMs: 60_000, what: 'outbox drained' },
    );
    last.process.kill('SIGTERM');
    await last.exited;
    outputs.push(last.output());

    const onLog = await readAllMessages(kafka, topics['events'] as string, 120_000);
    const eventIds = onLog.map((message) => message.headers?.[HEADER_EVENT_ID]?.toString());
    expect(new Set(eventIds).size).toBe(eventIds.length);
    expect([...eventIds].sort()).toEqual(committed.map((row) => row.eventId).sort());
    for (const key of KEYS) {
      const order = onLog
        .filter((message) => message.key?.toString() === key)
        .map((message) => Number(message.headers?.['sequence']?.toString()));
      expect(order).toEqual(Array.from({ length: order.length }, (_, index) => index + 1));
    }
    // The kills did land between an append and its DELETE: later relays found those rows on the log.
    const foundOnLog = outputs
      .join('')
      .split('\n')
      .filter((line) => line.includes('already on the log'))
      .map((line) => (JSON.parse(line) as { rows: number }).rows);
    process.stdout.write(
      `${committed.length} rows committed, ${kills} kills, rows found on the log after a kill: ${JSON.stringify(foundOnLog)}\n`,
    );
    expect(foundOnLog.length).toBeGreaterThan(0);
  }, 600_000);
});

interface RelayProcess {
  process: ChildProcess;
  exited: Promise<unknown>;
  output(): string;
}

async function startRelayProcess(settings: string): Promise<RelayProcess> {
  const child = spawn(
    process.execPath,
    [resolve(REPO_ROOT, 'tools/run.js'), resolve(REPO_ROOT, 'test/e2e/outbox-relay-process.ts'), settings],
    { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise((resolveExit) => child.once('exit', resolveExit));
  await eventually(
    async () => output,
    (text) => text.includes('relay started') || child.exitCode !== null,
    { timeoutMs: 60_000, intervalMs: 50, what: 'relay process started' },
  );
  if (child.exitCode !== null) throw new Error(`relay process exited with ${child.exitCode}:\n${output}`);
  return { process: child, exited, output: () => output };
}
