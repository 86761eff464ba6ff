import { Client } from 'pg';
import type { EventCodec } from '@modelreg/events';
import type { Kafka } from 'kafkajs';
import { injectPoison, type PoisonRecord } from './poison-records';
import type { PrivateStack } from './private-stack';
import { artifactBytes, putArtifact, retryUntil } from './registry-calls';

export interface FaultContext {
  stack: PrivateStack;
  kafka: Kafka;
  codec: EventCodec;
  /** How long an outage (Kafka, Postgres, S3 down) lasts. */
  outageMs: number;
  /** Services the suite killed itself: those restarts are planned, not a fault of the service. */
  plannedKills: Map<string, number>;
  poison: PoisonRecord[];
}

/**
 * One fault: `inject` returns when the fault has ended (a server back, a process killed, records produced);
 * recovery is measured from there.
 */
export interface Fault {
  name: string;
  /** Injected in the last round only (poison records stay on the log; once is the test). */
  lastRoundOnly?: boolean;
  inject(context: FaultContext): Promise<void>;
}

const SERVICES = ['ingestion', 'gate-validator', 'deployment-tracker', 'projections'];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The Postgres schema holding each service's outbox; projections has none. */
export const OUTBOX_SCHEMA: Readonly<Record<string, string | undefined>> = {
  ingestion: 'ingestion',
  'gate-validator': 'gates',
  'deployment-tracker': 'deployments',
};

/**
 * Waits (up to 10 s) until one of `schemas` has events in its outbox, which is when a relay pass
 * is between reading them and deleting them: the moment a crash can make it append twice.
 */
export async function whileRelaying(databaseUrl: string, schemas: string[]): Promise<void> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const query = schemas.map((schema) => `(SELECT count(*) FROM ${schema}.outbox)`).join(' + ');
    for (const deadline = Date.now() + 10_000; Date.now() < deadline;) {
      if (Number(((await db.query(`SELECT ${query} AS n`)).rows[0] as { n: string }).n) > 0) return;
    }
  } finally {
    await db.end();
  }
}

function killService(service: string): Fault {
  const schema = OUTBOX_SCHEMA[service];
  return {
    name: `kill -9 ${service}`,
    inject: async ({ stack, plannedKills }) => {
      if (schema) await whileRelaying(stack.databaseUrl, [schema]);
      if (!stack.supervisor?.signal(service, 'SIGKILL')) throw new Error(`${service} was not running when the suite came to kill it`);
      plannedKills.set(service, (plannedKills.get(service) ?? 0) + 1);
    },
  };
}

/** A server down for the outage, then started again on the same data. */
function outage(
  name: string,
  stop: (stack: FaultContext['stack']) => Promise<void>,
  start: (stack: FaultContext['stack']) => Promise<void>,
): Fault {
  return {
    name,
    inject: async ({ stack, outageMs }) => {
      await stop(stack);
      await sleep(outageMs);
      await start(stack);
    },
  };
}

const restartKafka = outage(
  'restart Kafka',
  (stack) => stack.stopKafka(),
  (stack) => stack.startKafka(),
);

const restartPostgres = outage(
  'restart Postgres (immediate stop: crash recovery)',
  async (stack) => {
    await whileRelaying(stack.databaseUrl, Object.values(OUTBOX_SCHEMA) as string[]);
    await stack.crashPostgres();
  },
  (stack) => stack.startPostgres(),
);

const stopS3 = outage(
  'stop S3',
  (stack) => stack.stopS3(),
  (stack) => stack.startS3(),
);

/** Three times a second apart, half of the services' database connections are terminated. */
const terminateConnections: Fault = {
  name: 'pg_terminate_backend random connections',
  inject: async ({ stack }) => {
    const admin = new Client({ connectionString: stack.databaseUrl });
    await admin.connect();
    try {
      for (let round = 0; round < 3; round += 1) {
        await admin.query(
          `SELECT pg_terminate_backend(pid) FROM (SELECT pid FROM pg_stat_activity
             WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'
             ORDER BY random()
             LIMIT (SELECT count(*) / 2 + 1 FROM pg_stat_activity
                     WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend')) victims`,
        );
        await sleep(1000);
      }
    } finally {
      await admin.end();
    }
  },
};

/**
 * An undecodable and a decodable poison record on every consumed topic (the run submission references a
 * stored artifact, so only its U+0000 is wrong).
 */
const poisonRecords: Fault = {
  name: 'poison records on every consumed topic',
  lastRoundOnly: true,
  inject: async (context) => {
    const artifact = artifactBytes(512);
    const stored = await retryUntil(
      () => putArtifact(context.stack.urls.ingestion, artifact),
      (a) => a.status === 200 || a.status === 201,
      Date.now() + 60_000,
    );
    if (!stored) throw new Error('could not store the artifact the poison run submission references');
    context.poison.push(...(await injectPoison(context.kafka, context.codec, context.stack.topics, artifact)));
  },
};

/**
 * Every fault of the issue, in turn: each service killed, Kafka and Postgres restarted, S3 stopped,
 * connections terminated, poison records.
 */
export const ALL_FAULTS: readonly Fault[] = [
  ...SERVICES.map(killService),
  restartKafka,
  restartPostgres,
  stopS3,
  terminateConnections,
  poisonRecords,
];
