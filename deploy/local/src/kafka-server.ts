import { execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, openSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { LOCAL_DIR, REPO_ROOT } from './stack-layout';
import { Kafka, logLevel } from 'kafkajs';
import { isPortOpen, waitUntil } from './processes';
import { securityOptions } from '@modelreg/kafka';
import type { KafkaSecuritySettings } from '@modelreg/config';
import { adminSecurity, scramFormatArguments, securedListenerProperties, type KafkaCredentials } from './kafka-security';
import type { KafkaTlsMaterial } from './kafka-tls';

/** Pinned in deploy/local/kafka/pom.xml; bump both together. */
export const KAFKA_VERSION = '4.4.0';
/** Where the stack's broker keeps its data, logs and credentials. */
export const DEFAULT_KAFKA_DIR = resolve(LOCAL_DIR, 'kafka');
const LIBS_DIR = resolve(DEFAULT_KAFKA_DIR, `libs-${KAFKA_VERSION}`);
const POM = resolve(REPO_ROOT, 'deploy/local/kafka/pom.xml');

/** Fetches the broker's jars from Maven Central once; later runs reuse them. */
export function ensureKafkaJars(log: (line: string) => void): void {
  const marker = join(LIBS_DIR, '.complete');
  if (existsSync(marker)) return;
  log(`fetching Apache Kafka ${KAFKA_VERSION} jars with Maven...`);
  execFileSync('mvn', ['-q', '-B', '-f', POM, 'dependency:copy-dependencies', `-DoutputDirectory=${LIBS_DIR}`, '-DincludeScope=runtime'], {
    stdio: 'inherit',
  });
  if (!readdirSync(LIBS_DIR).some((file) => file.startsWith(`kafka_2.13-${KAFKA_VERSION}`))) {
    throw new Error(`Maven did not fetch kafka_2.13-${KAFKA_VERSION}.jar into ${LIBS_DIR}`);
  }
  writeFileSync(marker, new Date().toISOString());
}

function serverProperties(
  port: number,
  controllerPort: number,
  dataDir: string,
  partitions: number,
  credentials: KafkaCredentials | null,
  tls: KafkaTlsMaterial | null,
  extra: readonly string[],
): string {
  return [
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@127.0.0.1:${controllerPort}`,
    ...(credentials
      ? securedListenerProperties(port, controllerPort, credentials, tls)
      : plaintextListenerProperties(port, controllerPort)),
    `log.dirs=${dataDir}`,
    `num.partitions=${partitions}`,
    'auto.create.topics.enable=false',
    'log.retention.ms=-1',
    'offsets.topic.replication.factor=1',
    'offsets.topic.num.partitions=10',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'share.coordinator.state.topic.replication.factor=1',
    'share.coordinator.state.topic.min.isr=1',
    'group.initial.rebalance.delay.ms=0',
    'message.max.bytes=10485760',
    // Java reads properties in order and the last value of a key wins: a cluster node's settings (kafka-cluster.ts).
    ...extra,
    '',
  ].join('\n');
}

/** No authentication, no authorization: private brokers of tests about outages. */
function plaintextListenerProperties(port: number, controllerPort: number): string[] {
  return [
    `listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${port}`,
    'controller.listener.names=CONTROLLER',
    'inter.broker.listener.name=PLAINTEXT',
    'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
  ];
}

export interface KafkaStartOptions {
  port: number;
  controllerPort: number;
  partitions: number;
  heap: string;
  log: (line: string) => void;
  /** Where the broker keeps its data and logs; default .local/kafka. */
  dir?: string;
  /** Properties that override the single-node ones: a node of a cluster (kafka-cluster.ts). */
  extraProperties?: readonly string[];
  /**
   * SASL/SCRAM on the client listener and ACLs with these users (ensureKafkaCredentials, from the
   * same dir); default PLAINTEXT, where anyone may do anything.
   */
  credentials?: KafkaCredentials | null;
  /** With credentials: the client listener is SASL_SSL with this material (ensureKafkaTlsMaterial). */
  tls?: KafkaTlsMaterial | null;
}

/** Formats storage on first start (kafka.tools.StorageTool), then runs `java ... kafka.Kafka` detached. */
export function startKafka(options: KafkaStartOptions): number {
  const dir = options.dir ?? DEFAULT_KAFKA_DIR;
  const dataDir = resolve(dir, 'data');
  const logsDir = resolve(dir, 'logs');
  mkdirSync(logsDir, { recursive: true });
  const credentials = options.credentials ?? null;
  const propertiesFile = resolve(dir, 'server.properties');
  writeFileSync(
    propertiesFile,
    serverProperties(
      options.port,
      options.controllerPort,
      dataDir,
      options.partitions,
      credentials,
      options.tls ?? null,
      options.extraProperties ?? [],
    ),
    { mode: 0o600 },
  );
  const classpath = `${LIBS_DIR}/*`;
  if (!existsSync(join(dataDir, 'meta.properties'))) {
    const clusterIdFile = resolve(dir, 'cluster-id');
    if (!existsSync(clusterIdFile)) writeFileSync(clusterIdFile, kafkaClusterId());
    const clusterId = readFileSync(clusterIdFile, 'utf8').trim();
    execFileSync(
      'java',
      [
        '-cp',
        classpath,
        `-Dlog4j2.configurationFile=${resolve(REPO_ROOT, 'deploy/local/kafka/log4j2.properties')}`,
        `-Dkafka.logs.dir=${logsDir}`,
        'kafka.tools.StorageTool',
        'format',
        '-t',
        clusterId,
        '-c',
        propertiesFile,
        '--ignore-formatted',
        ...(credentials ? scramFormatArguments(credentials) : []),
      ],
      { stdio: 'pipe' },
    );
  }
  const out = openSync(join(logsDir, 'stdout.log'), 'a');
  const child = spawn(
    'java',
    [
      `-Xms256m`,
      `-Xmx${options.heap}`,
      '-XX:+UseG1GC',
      '-XX:MaxGCPauseMillis=20',
      '-Djava.awt.headless=true',
      `-Dkafka.logs.dir=${logsDir}`,
      `-Dlog4j2.configurationFile=${resolve(REPO_ROOT, 'deploy/local/kafka/log4j2.properties')}`,
      '-cp',
      classpath,
      'kafka.Kafka',
      propertiesFile,
    ],
    { detached: true, stdio: ['ignore', out, out] },
  );
  child.unref();
  options.log(`kafka ${KAFKA_VERSION} starting (pid ${child.pid}, heap ${options.heap}), logs in ${logsDir}`);
  return child.pid as number;
}

/**
 * Ready means more than a listening port: a consumer group can join, so the group coordinator
 * (and __consumer_offsets) is loaded before any service or test relies on it.
 */
export async function waitForKafka(
  port: number,
  credentials: KafkaCredentials | null = null,
  host = '127.0.0.1',
  tls: KafkaTlsMaterial | null = null,
): Promise<void> {
  await waitUntil(`kafka on ${host}:${port}`, () => isPortOpen(port, host), 90_000);
  const security: KafkaSecuritySettings | null = credentials ? adminSecurity(credentials, tls) : null;
  const kafka = new Kafka({
    clientId: 'modelreg-stack-probe',
    brokers: [`${host}:${port}`],
    logLevel: logLevel.NOTHING,
    ...securityOptions(security),
  });
  await waitUntil('kafka group coordinator', () => canJoinGroup(kafka), 90_000);
}

async function canJoinGroup(kafka: Kafka): Promise<boolean> {
  const admin = kafka.admin();
  const consumer = kafka.consumer({ groupId: 'modelreg-stack-probe', retry: { retries: 0 } });
  try {
    await admin.connect();
    const topics = await admin.listTopics();
    if (!topics.includes('modelreg-stack-probe'))
      await admin.createTopics({ topics: [{ topic: 'modelreg-stack-probe', numPartitions: 1 }], waitForLeaders: true });
    await consumer.connect();
    await consumer.subscribe({ topic: 'modelreg-stack-probe' });
    const joined = new Promise<boolean>((resolveJoin) => {
      consumer.on(consumer.events.GROUP_JOIN, () => resolveJoin(true));
      consumer.on(consumer.events.CRASH, () => resolveJoin(false));
    });
    await consumer.run({ eachMessage: async () => undefined });
    return await Promise.race([joined, new Promise<boolean>((r) => setTimeout(() => r(false), 10_000))]);
  } catch {
    return false;
  } finally {
    await consumer.disconnect().catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
  }
}

/** A KRaft cluster id: 16 random bytes, base64url without padding (what `StorageTool random-uuid` prints). */
export function kafkaClusterId(): string {
  for (;;) {
    const id = Buffer.from(randomUUID().replace(/-/g, ''), 'hex').toString('base64url');
    // kafka-storage's argument parser reads an id that starts with '-' as an option.
    if (!id.startsWith('-')) return id;
  }
}
