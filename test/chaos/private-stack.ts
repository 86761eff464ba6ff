import { existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKafkaClient, provisionTopics } from '@modelreg/kafka';
import { topicNames } from '@modelreg/events';
import { createJsonLogger } from '@modelreg/logging';
import {
  bootstrapServers,
  ensureKafkaJars,
  registryServices,
  ServiceSupervisor,
  startKafkaNode,
  stopProcess,
  waitForKafkaCluster,
  type KafkaNode,
  type SupervisedService,
} from '@modelreg/local-stack';
import { freePort, startPrivatePostgres, startPrivateS3, testIssuer, type PrivatePostgres, type PrivateS3 } from '@modelreg/testing';

const BUCKET = 'chaos-artifacts';
const PARTITIONS = 3;
type ServiceKey = 'ingestion' | 'gateValidator' | 'deploymentTracker' | 'projections';
const SERVICE_KEYS: Record<string, ServiceKey> = {
  ingestion: 'ingestion',
  'gate-validator': 'gateValidator',
  'deployment-tracker': 'deploymentTracker',
  projections: 'projections',
};

/** How the private registry is laid out: the fault suite runs one of each; the cluster suite several. */
export interface StackLayout {
  topicPrefix: string;
  /** Kafka nodes (broker and controller each); with 3, topics keep 3 replicas and need 2 in sync. */
  kafkaNodes: number;
  /** Instances of each service, sharing its consumer group, outbox and schema. */
  instances: number;
  /** First port of a range it may use (2 per Kafka node, then 1 per service instance); free ports when absent. */
  portBase?: number;
}

export const FAULT_SUITE_LAYOUT: StackLayout = { topicPrefix: 'chaos', kafkaNodes: 1, instances: 1 };

/** Instance k of a service: the first keeps the service's name, later ones are `<name>#k`. */
export function instanceName(service: string, instance: number): string {
  return instance === 1 ? service : `${service}#${instance}`;
}

/**
 * A registry of its own for the fault suite: Kafka, Postgres and S3 on free ports with their data
 * in temporary folders (Kafka's and the services' log in `dir`), and the four services under a supervisor that restarts a service that
 * exits (as `npm start` or an orchestrator does). The suite stops and restarts these servers;
 * the shared local stack is never touched.
 */
export class PrivateStack {
  readonly dir = mkdtempSync(join(tmpdir(), 'modelreg-chaos-'));
  readonly topics: ReturnType<typeof topicNames>;
  env: Record<string, string> = {};
  supervisor: ServiceSupervisor | null = null;
  /** Every instance's base URL, per service. */
  readonly instanceUrls: Record<ServiceKey, string[]> = { ingestion: [], gateValidator: [], deploymentTracker: [], projections: [] };
  kafkaNodes: KafkaNode[] = [];
  private readonly kafkaPids = new Map<number, number>();
  private postgres: PrivatePostgres | null = null;
  private s3: PrivateS3 | null = null;

  constructor(
    private readonly print: (line: string) => void,
    readonly layout: StackLayout = FAULT_SUITE_LAYOUT,
  ) {
    this.topics = topicNames(layout.topicPrefix);
  }

  /** Interrupted (Ctrl-C, a CI timeout): the servers run detached, so stop them before exiting. */
  private readonly interrupted = () => {
    this.print('interrupted: stopping the private stack');
    void this.stop(false).finally(() => process.exit(130));
  };

  /** The first instance of each service. */
  get urls(): Record<ServiceKey, string> {
    const first = (key: ServiceKey) => this.instanceUrls[key][0] as string;
    return {
      ingestion: first('ingestion'),
      gateValidator: first('gateValidator'),
      deploymentTracker: first('deploymentTracker'),
      projections: first('projections'),
    };
  }

  get databaseUrl(): string {
    return this.postgres?.url ?? '';
  }

  async start(): Promise<void> {
    process.once('SIGINT', this.interrupted);
    process.once('SIGTERM', this.interrupted);
    const { kafkaNodes, instances, portBase, topicPrefix } = this.layout;
    let nextPort = portBase;
    const port = async () => (nextPort === undefined ? freePort() : nextPort++);
    for (let id = 1; id <= kafkaNodes; id += 1)
      this.kafkaNodes.push({
        id,
        host: '127.0.0.1',
        port: await port(),
        controllerPort: await port(),
        dir: join(this.dir, kafkaNodes === 1 ? 'kafka' : `kafka-${id}`),
      });
    const services: SupervisedService[] = [];
    for (let instance = 1; instance <= instances; instance += 1) {
      for (const service of registryServices({})) {
        const name = instanceName(service.name, instance);
        const servicePort = await port();
        services.push({
          ...service,
          name,
          port: servicePort,
          env: { [service.portVariable]: String(servicePort), SERVICE_INSTANCE: name },
        });
        this.instanceUrls[SERVICE_KEYS[service.name] as ServiceKey].push(`http://127.0.0.1:${servicePort}`);
      }
    }
    ensureKafkaJars(this.print);
    [, this.postgres, this.s3] = await Promise.all([this.startKafka(), startPrivatePostgres(), startPrivateS3(BUCKET)]);
    const brokers = bootstrapServers(this.kafkaNodes);
    this.env = {
      KAFKA_BROKERS: brokers,
      TOPIC_PREFIX: topicPrefix,
      TOPIC_PARTITIONS: String(PARTITIONS),
      DATABASE_URL: this.databaseUrl,
      ...this.s3.env,
      ...(await testIssuer()).env,
      HTTP_HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
    };
    const kafka = createKafkaClient({
      brokers: brokers.split(','),
      clientId: 'chaos-stack',
      logger: createJsonLogger({ service: 'chaos', level: 'error' }),
    });
    await provisionTopics(
      kafka,
      Object.values(this.topics).map((name) => ({ name, partitions: PARTITIONS })),
    );
    const output = openSync(join(this.dir, 'services.log'), 'a');
    this.supervisor = new ServiceSupervisor(
      { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...this.env },
      this.print,
      output,
    );
    for (const service of services) this.supervisor.start(service);
  }

  /**
   * The services' warnings and errors since a time, one line per service and message with a count,
   * most frequent first: what a fault left behind, for a report that has to explain itself.
   */
  logDigest(sinceIso: string, limit = 15): string[] {
    const file = join(this.dir, 'services.log');
    if (!existsSync(file)) return [];
    const counts = new Map<string, number>();
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      let entry: { time?: string; level?: string; service?: string; msg?: string; error?: { message?: string } };
      try {
        entry = JSON.parse(line) as typeof entry;
      } catch {
        continue;
      }
      if (!entry.time || entry.time < sinceIso || (entry.level !== 'warn' && entry.level !== 'error')) continue;
      const detail = entry.error?.message ? `: ${entry.error.message.slice(0, 160)}` : '';
      const key = `${entry.level} ${entry.service ?? '?'}: ${entry.msg ?? ''}${detail}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    return [...counts.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(([key, n]) => `${n}x ${key}`);
  }

  /** Every Kafka node that is not running, then waits for the cluster. */
  async startKafka(): Promise<void> {
    for (const node of this.kafkaNodes) if (!this.kafkaPids.has(node.id)) this.startKafkaNode(node.id);
    await waitForKafkaCluster(this.kafkaNodes);
  }

  /** One node (again, on its data); the others keep running. */
  startKafkaNode(id: number): void {
    const node = this.kafkaNodes.find((candidate) => candidate.id === id) as KafkaNode;
    this.kafkaPids.set(id, startKafkaNode(node, this.kafkaNodes, { partitions: PARTITIONS, heap: '384m', log: () => undefined }));
  }

  /** SIGTERM; a single KRaft node can take half a minute to shut down cleanly, so SIGKILL after 10 s. */
  async stopKafka(): Promise<void> {
    await Promise.all([...this.kafkaPids.keys()].map((id) => this.stopKafkaNode(id, 10_000)));
  }

  /** Stops one node: `graceMs` 0 is SIGKILL at once (a crash). */
  async stopKafkaNode(id: number, graceMs: number): Promise<void> {
    const pid = this.kafkaPids.get(id);
    this.kafkaPids.delete(id);
    if (pid === undefined) return;
    if (graceMs === 0) process.kill(pid, 'SIGKILL');
    await stopProcess(pid, graceMs);
  }

  async startPostgres(): Promise<void> {
    await this.postgres?.start();
  }

  /** `immediate`: no checkpoint, as a crash; the next start recovers from the WAL. */
  async crashPostgres(): Promise<void> {
    await this.postgres?.stop('immediate');
  }

  async startS3(): Promise<void> {
    await this.s3?.start();
  }

  /** SIGKILL: an outage, nothing in flight finished. */
  async stopS3(): Promise<void> {
    await this.s3?.stop();
  }

  /** Stops the services, then the servers; removes their data, except Kafka's and the services' log when `keep`. */
  async stop(keep: boolean): Promise<void> {
    process.off('SIGINT', this.interrupted);
    process.off('SIGTERM', this.interrupted);
    await this.supervisor?.stopAll();
    await this.s3?.dispose();
    await this.postgres?.dispose().catch(() => undefined);
    await this.stopKafka().catch(() => undefined);
    if (!keep) rmSync(this.dir, { recursive: true, force: true });
  }
}
