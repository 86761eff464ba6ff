import { execFileSync } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigResourceTypes, type Kafka } from 'kafkajs';
import { integerInRange, type Env } from '@modelreg/config';
import { EventCodec, SchemaCatalog } from '@modelreg/events';
import { createKafkaClient } from '@modelreg/kafka';
import { replicationSettings } from '@modelreg/local-stack';
import { createJsonLogger } from '@modelreg/logging';
import { REPO_ROOT } from '@modelreg/testing';
import { check, exactlyOnceInvariants, format, readModelInvariants, replayNotDone, type FaultResult, type Invariant } from './chaos-suite';
import { OUTBOX_SCHEMA, whileRelaying } from './faults';
import type { LogAudit } from './log-audit';
import { consumerGroups } from './log-probes';
import { instanceName, PrivateStack } from './private-stack';
import { auditRegistry } from './registry-audit';
import { postJson, retryUntil } from './registry-calls';
import { allReady, measureRecovery, replayProjections, settle, waitUntilReady, type ReplayOutcome } from './recovery-probes';
import { CHAOS_POLICY, SteadyLoad, type LoadFigures } from './steady-load';

export interface ClusterSettings {
  kafkaNodes: number;
  /** Instances of every service. */
  instances: number;
  models: number;
  /** Registrations in flight at once (spread over the ingestion instances). */
  registrationWorkers: number;
  registrationEveryMs: number;
  queryEveryMs: number;
  /** Load before the faults, and after them before the broker comes back. */
  steadyMs: number;
  /** How long the killed broker stays down. */
  outageMs: number;
  recoveryTimeoutMs: number;
  /** First of 20 ports the private cluster uses (2 per Kafka node, 1 per service instance). */
  portBase: number;
  keepData: boolean;
}

export interface ClusterReport {
  settings: ClusterSettings;
  startedAt: string;
  durationSeconds: number;
  load: LoadFigures;
  audit: LogAudit;
  /** Per topic: replicas per partition and min.insync.replicas, as the brokers report them. */
  replication: Record<string, { replicas: number[]; minInsync: string }>;
  faults: FaultResult[];
  restarts: Record<string, number>;
  replay: ReplayOutcome;
  replayUnderLoad: ReplayOutcome;
  invariants: Invariant[];
  stackDir: string;
}

export const BOUNDED_CLUSTER_SETTINGS: ClusterSettings = {
  kafkaNodes: 3,
  instances: 2,
  models: 3,
  registrationWorkers: 2,
  registrationEveryMs: 400,
  queryEveryMs: 500,
  steadyMs: 8_000,
  outageMs: 10_000,
  recoveryTimeoutMs: 90_000,
  portBase: 27420,
  keepData: false,
};
export const FULL_CLUSTER_SETTINGS: ClusterSettings = {
  ...BOUNDED_CLUSTER_SETTINGS,
  models: 6,
  registrationWorkers: 4,
  registrationEveryMs: 200,
  queryEveryMs: 300,
  steadyMs: 60_000,
  outageMs: 60_000,
  recoveryTimeoutMs: 120_000,
  keepData: true,
};

const SERVICES = ['ingestion', 'gate-validator', 'deployment-tracker', 'projections'];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Horizontal scale under faults: a private Kafka cluster (3 nodes: replication factor 3,
 * min.insync.replicas 2) and N instances of every service on one topic prefix, under concurrent
 * registrations and deployment reports spread over the instances. Mid-load one broker is killed
 * (SIGKILL), then one instance of every service while its outbox holds events; the broker comes
 * back after the outage. Then the log must hold every acknowledged event exactly once (by event id
 * and by outbox row), versions stay gapless, each version got one automatic decision, every group
 * consumed everything, a replay taken under load by one projections instance while the other
 * keeps consuming lost nothing, and the read models equal a clean rebuild.
 */
export async function runClusterSuite(settings: ClusterSettings, printLine: (line: string) => void): Promise<ClusterReport> {
  const startedAt = Date.now();
  const print = (line: string) => printLine(`${String(Math.round((Date.now() - startedAt) / 1000)).padStart(4)} s  ${line}`);
  execFileSync(process.execPath, [resolve(REPO_ROOT, 'tools/build.js')], { stdio: 'ignore' });
  const stack = new PrivateStack(print, {
    topicPrefix: 'cluster',
    kafkaNodes: settings.kafkaNodes,
    instances: settings.instances,
    portBase: settings.portBase,
  });
  const codec = new EventCodec(SchemaCatalog.load());
  try {
    await stack.start();
    print(
      `private cluster up in ${stack.dir}: ${settings.kafkaNodes} Kafka nodes ` +
        `(${stack.env['KAFKA_BROKERS']}), ${settings.instances} instances of each service`,
    );
    // A killed broker makes the suite's own client log connection errors: into the stack's folder, not the output.
    const suiteLog = join(stack.dir, 'suite.log');
    const kafka = createKafkaClient({
      brokers: (stack.env['KAFKA_BROKERS'] as string).split(','),
      clientId: 'cluster',
      logger: createJsonLogger({ service: 'cluster', level: 'error', write: (line) => appendFileSync(suiteLog, `${line}\n`) }),
    });
    await waitUntilReady(stack, 180_000);
    const replication = await describeReplication(kafka, Object.values(stack.topics));
    const published = await retryUntil(
      () => postJson(`${stack.urls.gateValidator}/v1/policies`, CHAOS_POLICY),
      (a) => a.status === 200 || a.status === 201,
      Date.now() + 60_000,
    );
    if (!published) throw new Error('could not publish the gate policy');

    const models = Array.from({ length: settings.models }, (_, index) => `chaos-m${index}`);
    const load = new SteadyLoad(stack.instanceUrls, models, settings);
    load.start();
    const groups = consumerGroups(stack.layout.topicPrefix, stack.topics);
    const faults: FaultResult[] = [];
    const planned = new Map<string, number>();
    const recovered = async (fault: string, from: string) => {
      const to = new Date();
      const result: FaultResult = {
        fault,
        round: 1,
        from,
        to: to.toISOString(),
        ...(await measureRecovery(stack, kafka, load, groups, to.getTime(), settings.recoveryTimeoutMs)),
      };
      print(
        `  recovered: writes ${format(result.writeRecoveryMs)}, ` +
          `consumers ${format(result.recoveryMs)}${result.error ? ` (${result.error})` : ''}`,
      );
      if (result.recoveryMs === null) for (const line of stack.logDigest(from)) print(`    ${line}`);
      faults.push(result);
    };

    await sleep(settings.steadyMs);
    const victim = settings.kafkaNodes;
    let from = new Date().toISOString();
    print(`kill -9 Kafka node ${victim}`);
    await stack.stopKafkaNode(victim, 0);
    await recovered(`kill -9 Kafka node ${victim}`, from);

    from = new Date().toISOString();
    print(`kill -9 one instance of every service (${SERVICES.map((s) => instanceName(s, settings.instances)).join(', ')})`);
    await whileRelaying(stack.databaseUrl, Object.values(OUTBOX_SCHEMA) as string[]);
    for (const service of SERVICES) {
      const name = instanceName(service, settings.instances);
      if (!stack.supervisor?.signal(name, 'SIGKILL')) throw new Error(`${name} was not running when the suite came to kill it`);
      planned.set(name, (planned.get(name) ?? 0) + 1);
    }
    await recovered('kill -9 one instance of every service', from);

    await sleep(Math.max(0, settings.outageMs - (Date.now() - Date.parse(from))));
    from = new Date().toISOString();
    print(`Kafka node ${victim} back`);
    stack.startKafkaNode(victim);
    await recovered(`Kafka node ${victim} back`, from);
    print('replay under load, taken by one projections instance while the other keeps consuming');
    const [replayUnderLoad] = await Promise.all([replayProjections(stack, settings.recoveryTimeoutMs), sleep(settings.steadyMs)]);

    const figures = await load.stop(60_000);
    print('load stopped; waiting for the registry to settle');
    const settled = await settle(stack, kafka, groups, settings.recoveryTimeoutMs);
    const { audit, readModelShortfall } = await auditRegistry({
      stack,
      kafka,
      codec,
      load,
      models,
      poison: [],
      topicPrefix: stack.layout.topicPrefix,
    });
    print('replay after the load: the rebuilt read models must equal the live ones');
    const replay = await replayProjections(stack, settings.recoveryTimeoutMs);
    const ready = await allReady(stack);
    const restarts = Object.fromEntries([...(stack.supervisor?.restarts.entries() ?? [])]);
    const expected = replicationSettings(settings.kafkaNodes);

    const invariants: Invariant[] = [
      check(
        'topics are replicated as the cluster allows',
        Object.entries(replication).flatMap(([topic, r]) =>
          r.replicas.every((n) => n === expected.replicas) && r.minInsync === String(expected.minInsync)
            ? []
            : [`${topic}: replicas ${r.replicas.join(',')}, min.insync.replicas ${r.minInsync}`],
        ),
      ),
      check(
        'writes kept being acknowledged through every fault',
        faults.filter((f) => f.writeRecoveryMs === null).map((f) => `${f.fault}: ${f.error ?? 'no write acknowledged'}`),
      ),
      ...exactlyOnceInvariants(figures.refused, audit),
      check('no outbox row is on the log twice', audit.duplicatedOutboxRows),
      check(
        'every fault recovered without a person',
        faults.filter((f) => f.recoveryMs === null).map((f) => `${f.fault}: ${f.error ?? 'not recovered'}`),
      ),
      check('consumers caught up and outboxes drained at the end', settled),
      check('every instance ready at the end', ready),
      check(
        'no instance exited other than when killed',
        Object.entries(restarts)
          .filter(([name, n]) => n > (planned.get(name) ?? 0))
          .map(([name, n]) => `${name}: ${n - (planned.get(name) ?? 0)} unplanned restart(s)`),
      ),
      check('a replay under load completed', replayNotDone(replayUnderLoad)),
      ...readModelInvariants(readModelShortfall, replay),
    ];
    return {
      settings,
      startedAt: new Date(startedAt).toISOString(),
      durationSeconds: Math.round((Date.now() - startedAt) / 1000),
      load: figures,
      audit,
      replication,
      faults,
      restarts,
      replay,
      replayUnderLoad,
      invariants,
      stackDir: stack.dir,
    };
  } finally {
    await stack.stop(settings.keepData);
  }
}

/** Replicas of every partition and the topic's min.insync.replicas (its own setting or the broker default). */
async function describeReplication(kafka: Kafka, topics: string[]): Promise<ClusterReport['replication']> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const { topics: described } = await admin.fetchTopicMetadata({ topics });
    const configs = await admin.describeConfigs({
      includeSynonyms: false,
      resources: topics.map((name) => ({ type: ConfigResourceTypes.TOPIC, name, configNames: ['min.insync.replicas'] })),
    });
    return Object.fromEntries(
      described.map((topic) => {
        const minInsync =
          configs.resources.find((resource) => resource.resourceName === topic.name)?.configEntries[0]?.configValue ?? 'unknown';
        return [topic.name, { replicas: topic.partitions.map((partition) => partition.replicas.length), minInsync }];
      }),
    );
  } finally {
    await admin.disconnect();
  }
}

/**
 * The defaults unless CLUSTER_MODELS, CLUSTER_STEADY_SECONDS, CLUSTER_OUTAGE_SECONDS or CLUSTER_KEEP_DATA=1
 * (keep the stack's folder) say otherwise.
 */
export function clusterSettings(env: Env, defaults: ClusterSettings): ClusterSettings {
  return {
    ...defaults,
    models: integerInRange(env, 'CLUSTER_MODELS', defaults.models, 1, 100),
    steadyMs: integerInRange(env, 'CLUSTER_STEADY_SECONDS', defaults.steadyMs / 1000, 0, 3600) * 1000,
    outageMs: integerInRange(env, 'CLUSTER_OUTAGE_SECONDS', defaults.outageMs / 1000, 1, 3600) * 1000,
    keepData: env['CLUSTER_KEEP_DATA'] === '1' || defaults.keepData,
  };
}
