import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createKafkaClient, provisionAcls, provisionTopics } from '@modelreg/kafka';
import { KEYRING_FILE, topicNames, writeEventKeyDirectory } from '@modelreg/events';
import { identifier, integerInRange, optionalString, readKafkaSecurity, type Env } from '@modelreg/config';
import { createJsonLogger } from '@modelreg/logging';
import { DEFAULT_KAFKA_DIR, ensureKafkaJars, startKafka, waitForKafka } from './kafka-server';
import {
  bootstrapServers,
  localClusterNodes,
  startKafkaNode,
  waitForKafkaCluster,
  type KafkaNode,
  type KafkaNodeStart,
} from './kafka-cluster';
import { credentialsEnv, ensureKafkaCredentials, existingKafkaCredentials } from './kafka-security';
import { postgresUrl, startPostgres, stopPostgres } from './postgres-server';
import { isPortOpen, isProcessAlive, stopProcess } from './processes';
import { localIssuerEnv, startIssuer } from './issuer';
import { LOCAL_S3_CREDENTIALS, startS3 } from './s3-server';
import { EVENT_KEYS_DIR, LOCAL_DIR, planPorts } from './stack-layout';
import { readStackState, writeStackState, type StackState } from './stack-state';

type Print = (line: string) => void;

/**
 * A Kafka started from this `.local` that still runs, but not on this checkout's port, shares its
 * data directory: a second one would take over its metadata quorum and stall it. That happens when
 * another checkout (a git worktree) links the same `.local` and plans other ports.
 */
function refuseSecondKafka(state: StackState, port: number): void {
  const pid = state.started.kafka?.pid;
  if (!isProcessAlive(pid) || !existsSync(`/proc/${pid}/cmdline`) || !readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('kafka'))
    return;
  throw new Error(
    `a Kafka started from ${LOCAL_DIR} still runs (pid ${pid}) but not on port ${port}, which this checkout plans; ` +
      (`a second one would share its data. Use the running one (set -a; . ` +
        `${LOCAL_DIR}/stack.env; set +a) or stop it (npm run stack:down) first.`),
  );
}

/**
 * Brings up what the registry needs, reusing what runs already: Kafka, Postgres, S3 and a token
 * issuer are started here unless KAFKA_BROKERS, DATABASE_URL, S3_ENDPOINT or AUTH_ISSUER point at
 * existing ones. With the local issuer, .local/stack.env also gets a development token per role.
 */
export async function stackUp(env: Env, print: Print): Promise<StackState> {
  const ports = planPorts(env);
  const state = readStackState();
  const partitions = integerInRange(env, 'TOPIC_PARTITIONS', 3, 1, 1000);
  /** KAFKA_NODES=3: a three-node KRaft cluster (replication factor 3, min.insync.replicas 2) instead of one broker. */
  const kafkaNodes = integerInRange(env, 'KAFKA_NODES', 1, 1, 5);
  const topicPrefix = identifier(env, 'TOPIC_PREFIX', 'modelreg');
  const bucket = identifier(env, 'S3_BUCKET', 'modelreg-artifacts');
  const stackEnv: Record<string, string> = { TOPIC_PREFIX: topicPrefix, TOPIC_PARTITIONS: String(partitions), S3_BUCKET: bucket };

  if (env['KAFKA_BROKERS']) {
    stackEnv['KAFKA_BROKERS'] = env['KAFKA_BROKERS'];
    // Its users and ACLs are the operator's (docs/OPERATIONS.md); clients get the given security settings.
    for (const [key, value] of Object.entries(env)) if (/^KAFKA_(SASL|TLS)/.test(key) && value) stackEnv[key] = value;
    print(`kafka: using KAFKA_BROKERS=${env['KAFKA_BROKERS']}`);
  } else if (kafkaNodes > 1) {
    stackEnv['KAFKA_BROKERS'] = await kafkaClusterUp(localClusterNodes(kafkaNodes, ports.kafka, ports.kafkaController), state, {
      partitions,
      heap: optionalString(env, 'KAFKA_HEAP', '512m'),
      log: print,
    });
  } else {
    stackEnv['KAFKA_BROKERS'] = `127.0.0.1:${ports.kafka}`;
    if (isProcessAlive(state.started.kafka?.pid) && (await isPortOpen(ports.kafka))) {
      print(`kafka: already running (pid ${state.started.kafka?.pid})`);
      // A broker started before SASL has no credentials file: it stays PLAINTEXT until restarted.
      const credentials = existingKafkaCredentials(DEFAULT_KAFKA_DIR);
      if (credentials) Object.assign(stackEnv, credentialsEnv(credentials));
      else print('kafka: running without SASL; restart the stack (stack:down, stack:up) to secure it');
    } else {
      refuseSecondKafka(state, ports.kafka);
      ensureKafkaJars(print);
      const heap = optionalString(env, 'KAFKA_HEAP', '512m');
      const credentials = ensureKafkaCredentials(DEFAULT_KAFKA_DIR, print);
      const pid = startKafka({ port: ports.kafka, controllerPort: ports.kafkaController, partitions, heap, log: print, credentials });
      state.started.kafka = { pid, startedAt: new Date().toISOString() };
      Object.assign(stackEnv, credentialsEnv(credentials));
      writeStackState(state);
      await waitForKafka(ports.kafka, credentials);
    }
  }

  if (env['DATABASE_URL']) {
    stackEnv['DATABASE_URL'] = env['DATABASE_URL'];
    print('postgres: using DATABASE_URL');
  } else {
    stackEnv['DATABASE_URL'] = postgresUrl(ports.postgres);
    if (isProcessAlive(state.started.postgres?.pid) && (await isPortOpen(ports.postgres))) {
      print(`postgres: already running (pid ${state.started.postgres?.pid})`);
    } else {
      const { pid } = await startPostgres(ports.postgres, print);
      state.started.postgres = { pid, startedAt: new Date().toISOString() };
      writeStackState(state);
    }
  }

  if (env['S3_ENDPOINT']) {
    stackEnv['S3_ENDPOINT'] = env['S3_ENDPOINT'];
    stackEnv['S3_REGION'] = optionalString(env, 'S3_REGION', 'us-east-1');
    stackEnv['S3_ACCESS_KEY_ID'] = optionalString(env, 'S3_ACCESS_KEY_ID', '');
    stackEnv['S3_SECRET_ACCESS_KEY'] = optionalString(env, 'S3_SECRET_ACCESS_KEY', '');
    print(`s3: using S3_ENDPOINT=${env['S3_ENDPOINT']}`);
  } else {
    Object.assign(stackEnv, {
      S3_ENDPOINT: `http://127.0.0.1:${ports.s3}`,
      S3_REGION: 'us-east-1',
      S3_ACCESS_KEY_ID: LOCAL_S3_CREDENTIALS.accessKeyId,
      S3_SECRET_ACCESS_KEY: LOCAL_S3_CREDENTIALS.secretAccessKey,
    });
    if (isProcessAlive(state.started.s3?.pid) && (await isPortOpen(ports.s3))) {
      print(`s3: already running (pid ${state.started.s3?.pid})`);
    } else {
      const pid = await startS3(ports.s3, bucket, print);
      state.started.s3 = { pid, startedAt: new Date().toISOString() };
      writeStackState(state);
    }
  }

  if (env['AUTH_ISSUER']) {
    for (const name of ['AUTH_ISSUER', 'AUTH_JWKS_URL', 'AUTH_AUDIENCE']) stackEnv[name] = env[name] ?? '';
    print(`auth: using AUTH_ISSUER=${env['AUTH_ISSUER']}`);
  } else {
    if (isProcessAlive(state.started.issuer?.pid) && (await isPortOpen(ports.issuer))) {
      print(`issuer: already running (pid ${state.started.issuer?.pid})`);
    } else {
      const pid = await startIssuer(ports.issuer, print);
      state.started.issuer = { pid, startedAt: new Date().toISOString() };
      writeStackState(state);
    }
    Object.assign(stackEnv, await localIssuerEnv(ports.issuer));
  }

  Object.assign(stackEnv, {
    INGESTION_PORT: String(ports.ingestion),
    GATE_VALIDATOR_PORT: String(ports.gateValidator),
    DEPLOYMENT_TRACKER_PORT: String(ports.deploymentTracker),
    PROJECTIONS_PORT: String(ports.projections),
    EVENT_KEYS_DIR: eventKeys(print),
  });
  state.env = stackEnv;
  writeStackState(state);

  const security = readKafkaSecurity(stackEnv);
  const kafka = createKafkaClient({
    brokers: stackEnv['KAFKA_BROKERS'].split(','),
    clientId: 'modelreg-stack',
    logger: createJsonLogger({ service: 'stack', level: 'error' }),
    security,
  });
  const created = await provisionTopics(
    kafka,
    Object.values(topicNames(topicPrefix)).map((name) => ({ name, partitions })),
  );
  if (created.length > 0) print(`kafka: created topics ${created.join(', ')}`);
  if (security && !env['KAFKA_BROKERS'])
    print(`kafka: SASL/SCRAM as ${security.sasl?.username}; ${await provisionAcls(kafka, topicPrefix)} ACLs for ${topicPrefix}.*`);

  print(`kafka      ${stackEnv['KAFKA_BROKERS']}`);
  print(`postgres   ${redact(stackEnv['DATABASE_URL'])}`);
  print(`s3         ${stackEnv['S3_ENDPOINT']} (bucket ${bucket})`);
  print(`issuer     ${stackEnv['AUTH_ISSUER']} (audience ${stackEnv['AUTH_AUDIENCE']})`);
  return state;
}

/** One Ed25519 key per signing service (mode 0600) and the keyring every consumer trusts: made once, kept across restarts. */
function eventKeys(print: Print): string {
  if (!existsSync(join(EVENT_KEYS_DIR, KEYRING_FILE))) {
    writeEventKeyDirectory(EVENT_KEYS_DIR);
    print(`events: signing keys written to ${EVENT_KEYS_DIR}`);
  }
  return EVENT_KEYS_DIR;
}

/** Stops exactly what `up` started; leaves external servers alone. */
export async function stackDown(print: Print): Promise<void> {
  const state = readStackState();
  if (state.started.issuer) {
    await stopProcess(state.started.issuer.pid);
    print(`issuer: stopped (pid ${state.started.issuer.pid})`);
  }
  if (state.started.s3) {
    await stopProcess(state.started.s3.pid);
    print(`s3: stopped (pid ${state.started.s3.pid})`);
  }
  if (state.started.postgres) {
    stopPostgres();
    print(`postgres: stopped (pid ${state.started.postgres.pid})`);
  }
  for (const [name, started] of Object.entries(state.started).filter(([name]) => name.startsWith('kafka'))) {
    if (!started) continue;
    await stopProcess(started.pid, 30_000);
    print(`${name}: stopped (pid ${started.pid})`);
  }
  writeStackState({ started: {}, env: state.env });
}

export async function stackStatus(print: Print): Promise<boolean> {
  const state = readStackState();
  let allUp = true;
  for (const [name, info] of Object.entries(state.started)) {
    const alive = isProcessAlive(info?.pid);
    allUp &&= alive;
    print(`${name}: ${alive ? `running (pid ${info?.pid})` : 'not running'}`);
  }
  return allUp && Object.keys(state.started).length > 0;
}

/** Starts the nodes that are not running (each recorded as `kafka-<id>`) and waits for the cluster. */
async function kafkaClusterUp(nodes: KafkaNode[], state: StackState, options: KafkaNodeStart): Promise<string> {
  const down = nodes.filter((node) => !isProcessAlive(state.started[`kafka-${node.id}`]?.pid));
  if (down.length === 0) options.log(`kafka: ${nodes.length} nodes already running`);
  if (down.length > 0) ensureKafkaJars(options.log);
  for (const node of down) {
    state.started[`kafka-${node.id}`] = { pid: startKafkaNode(node, nodes, options), startedAt: new Date().toISOString() };
    writeStackState(state);
  }
  await waitForKafkaCluster(nodes);
  return bootstrapServers(nodes);
}

function redact(url: string): string {
  return url.replace(/\/\/([^:/]+):[^@]+@/, '//$1:***@');
}
