import { Client } from 'pg';
import type { Kafka } from 'kafkajs';
import { lagBehind, watermarks } from './log-probes';
import type { PrivateStack } from './private-stack';
import { call, postJson } from './registry-calls';
import type { SteadyLoad } from './steady-load';

/** How long until writes came back and the registry caught up after a fault; null when it did not. */
export interface Recovery {
  writeRecoveryMs: number | null;
  recoveryMs: number | null;
  error?: string;
}

/** What `POST /v1/replay` came to: its state, how many tables it compared, and those that differ. */
export interface ReplayOutcome {
  state: string;
  tables: number;
  unequal: string[];
  error?: string;
}

type ConsumerGroups = Array<{ group: string; topics: string[] }>;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function allReady(stack: PrivateStack): Promise<string[]> {
  const notReady: string[] = [];
  for (const [name, urls] of Object.entries(stack.instanceUrls)) {
    for (const [index, url] of urls.entries()) {
      const answer = await call(`${url}/health/ready`);
      if (answer.status !== 200)
        notReady.push(
          `${name}${urls.length > 1 ? ` #${index + 1}` : ''}: ` +
            `${answer.status === 0 ? 'no answer' : `${answer.status} ${JSON.stringify(answer.body)}`}`,
        );
    }
  }
  return notReady;
}

export async function waitUntilReady(stack: PrivateStack, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let notReady = await allReady(stack);
  while (notReady.length > 0) {
    if (Date.now() > deadline) throw new Error(`services not ready: ${notReady.join('; ')}`);
    await sleep(500);
    notReady = await allReady(stack);
  }
}

/**
 * Recovered when a registration made after the fault's end was acknowledged, every consumer group
 * has committed everything that was on the log one probe earlier, and that registration is in
 * the read model with its gate decision.
 */
export async function measureRecovery(
  stack: PrivateStack,
  kafka: Kafka,
  load: SteadyLoad,
  groups: ConsumerGroups,
  faultEnd: number,
  timeoutMs: number,
): Promise<Recovery> {
  const deadline = faultEnd + timeoutMs;
  const topics = [...new Set(groups.flatMap((g) => g.topics))];
  let writeRecoveryMs: number | null = null;
  let previous: Awaited<ReturnType<typeof watermarks>> | null = null;
  let lastState = 'no registration acknowledged since the fault';
  while (Date.now() < deadline) {
    const written = load.acknowledgedSince(faultEnd);
    if (!written) lastState = `no registration acknowledged since the fault; last answer ${load.lastFailure}`;
    if (written) {
      writeRecoveryMs ??= written.at - faultEnd;
      try {
        const ends = await watermarks(kafka, topics);
        const lag = previous ? await lagBehind(kafka, groups, previous) : null;
        previous = ends;
        const behind = lag ? Object.entries(lag).filter(([, n]) => n > 0) : [];
        const version = await call(`${stack.urls.projections}/v1/models/${written.modelName}/versions/${written.modelVersion}`, {}, 5000);
        const decisions = await call(
          `${stack.urls.gateValidator}/v1/models/${written.modelName}/versions/${written.modelVersion}/decisions`,
          {},
          5000,
        );
        const decided = Array.isArray(decisions.body['items']) && decisions.body['items'].length > 0;
        if (lag && behind.length === 0 && version.status === 200 && decided) return { writeRecoveryMs, recoveryMs: Date.now() - faultEnd };
        lastState =
          `lag ${JSON.stringify(Object.fromEntries(behind))}, ` +
          `${written.modelName} v${written.modelVersion} in projections: ${version.status}, decided: ${decided}`;
      } catch (error) {
        lastState = `probe failed: ${(error as Error).message}`;
      }
    }
    await sleep(500);
  }
  return { writeRecoveryMs, recoveryMs: null, error: `not recovered within ${timeoutMs} ms: ${lastState}` };
}

/** After the load: every group consumed the whole log and every outbox is empty. Answers what is still pending. */
export async function settle(stack: PrivateStack, kafka: Kafka, groups: ConsumerGroups, timeoutMs: number): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  const topics = [...new Set(groups.flatMap((g) => g.topics))];
  let pending: string[] = ['not probed'];
  while (Date.now() < deadline) {
    try {
      const lag = await lagBehind(kafka, groups, await watermarks(kafka, topics));
      const outboxes = await outboxRows(stack.databaseUrl);
      pending = [
        ...Object.entries(lag)
          .filter(([, n]) => n > 0)
          .map(([group, n]) => `${group} ${n} records behind`),
        ...Object.entries(outboxes)
          .filter(([, n]) => n > 0)
          .map(([schema, n]) => `${schema}.outbox holds ${n} events`),
      ];
      if (pending.length === 0) return [];
    } catch (error) {
      pending = [`probe failed: ${(error as Error).message}`];
    }
    await sleep(1000);
  }
  return pending;
}

async function outboxRows(databaseUrl: string): Promise<Record<string, number>> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const schemas = (await db.query("SELECT table_schema FROM information_schema.tables WHERE table_name = 'outbox'")).rows as Array<{
      table_schema: string;
    }>;
    const rows: Record<string, number> = {};
    for (const { table_schema: schema } of schemas)
      rows[schema] = ((await db.query(`SELECT count(*)::int AS n FROM ${schema}.outbox`)).rows[0] as { n: number }).n;
    return rows;
  } finally {
    await db.end();
  }
}

export async function readModelVersions(databaseUrl: string, models: string[]): Promise<Map<string, number>> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const rows = (
      await db.query(
        'SELECT model_name, count(*)::int AS n FROM projections.model_versions WHERE model_name = ANY($1) GROUP BY model_name',
        [models],
      )
    ).rows as Array<{ model_name: string; n: number }>;
    return new Map(rows.map((row) => [row.model_name, row.n]));
  } finally {
    await db.end();
  }
}

/** POST /v1/replay and wait: the rebuilt read models must equal the live ones table by table. */
export async function replayProjections(stack: PrivateStack, timeoutMs: number): Promise<ReplayOutcome> {
  const started = await postJson(`${stack.urls.projections}/v1/replay`, {});
  if (started.status !== 202)
    return {
      state: 'not started',
      tables: 0,
      unequal: [],
      error: `POST /v1/replay answered ${started.status} ${JSON.stringify(started.body)}`,
    };
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const status = (await call(`${stack.urls.projections}/v1/replay`)).body;
    if (status['state'] === 'done' || status['state'] === 'failed') {
      const checksums = (status['checksums'] ?? {}) as Record<string, { equal: boolean }>;
      return {
        state: status['state'] as string,
        tables: Object.keys(checksums).length,
        unequal: Object.entries(checksums)
          .filter(([, c]) => !c.equal)
          .map(([table]) => table),
        ...(status['error'] || status['checksumError'] ? { error: String(status['error'] ?? status['checksumError']) } : {}),
      };
    }
    await sleep(1000);
  }
  return { state: 'timed out', tables: 0, unequal: [], error: `replay not done within ${timeoutMs} ms` };
}
