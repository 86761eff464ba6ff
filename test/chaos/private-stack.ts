import { mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKafkaClient, provisionTopics } from '@modelreg/kafka';
import { topicNames } from '@modelreg/events';
import { createJsonLogger } from '@modelreg/logging';
import { ensureKafkaJars, registryServices, ServiceSupervisor, startKafka, stopProcess, waitForKafka } from '@modelreg/local-stack';
import { freePort, startPrivatePostgres, startPrivateS3, testIssuer, type PrivatePostgres, type PrivateS3 } from '@modelreg/testing';

const TOPIC_PREFIX = 'chaos';
const BUCKET = 'chaos-artifacts';
const PARTITIONS = 3;

/**
 * A registry of its own for the fault suite: Kafka, Postgres and S3 on free ports with their data
 * in temporary folders (Kafka's and the services' log in `dir`), and the four services under a supervisor that restarts a service that
 * exits (as `npm start` or an orchestrator does). The suite stops and restarts these servers;
 * the shared local stack is never touched.
 */
export class PrivateStack {
  readonly dir = mkdtempSync(join(tmpdir(), 'modelreg-chaos-'));
  readonly topics = topicNames(TOPIC_PREFIX);
  env: Record<string, string> = {};
  supervisor: ServiceSupervisor | null = null;
  private ports = { kafka: 0, kafkaController: 0, ingestion: 0, gateValidator: 0, deploymentTracker: 0, projections: 0 };
  private kafkaPid = 0;
  private postgres: PrivatePostgres | null = null;
  private s3: PrivateS3 | null = null;

  constructor(private readonly print: (line: string) => void) {}

  /** Interrupted (Ctrl-C, a CI timeout): the servers run detached, so stop them before exiting. */
  private readonly interrupted = () => {
    this.print('interrupted: stopping the private stack');
    void this.stop(false).finally(() => process.exit(130));
  };

  get urls() {
    const url = (port: number) => `http://127.0.0.1:${port}`;
    return { ingestion: url(this.ports.ingestion), gateValidator: url(this.ports.gateValidator), deploymentTracker: url(this.ports.deploymentTracker), projections: url(this.ports.projections) };
  }

  get databaseUrl(): string {
    return this.postgres?.url ?? '';
  }

  async start(): Promise<void> {
    process.once('SIGINT', this.interrupted);
    process.once('SIGTERM', this.interrupted);
    for (const name of Object.keys(this.ports) as Array<keyof typeof this.ports>) this.ports[name] = await freePort();
    ensureKafkaJars(this.print);
    [, this.postgres, this.s3] = await Promise.all([this.startKafka(), startPrivatePostgres(), startPrivateS3(BUCKET)]);
    this.env = {
      KAFKA_BROKERS: `127.0.0.1:${this.ports.kafka}`,
      TOPIC_PREFIX,
      TOPIC_PARTITIONS: String(PARTITIONS),
      DATABASE_URL: this.databaseUrl,
      ...this.s3.env,
      ...(await testIssuer()).env,
      HTTP_HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      INGESTION_PORT: String(this.ports.ingestion),
      GATE_VALIDATOR_PORT: String(this.ports.gateValidator),
      DEPLOYMENT_TRACKER_PORT: String(this.ports.deploymentTracker),
      PROJECTIONS_PORT: String(this.ports.projections),
    };
    const kafka = createKafkaClient({ brokers: [this.env['KAFKA_BROKERS'] as string], clientId: 'chaos-stack', logger: createJsonLogger({ service: 'chaos', level: 'error' }) });
    await provisionTopics(kafka, Object.values(this.topics).map((name) => ({ name, partitions: PARTITIONS })));
    const output = openSync(join(this.dir, 'services.log'), 'a');
    this.supervisor = new ServiceSupervisor({ ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...this.env }, this.print, output);
    for (const service of registryServices(this.env)) this.supervisor.start(service);
  }

  async startKafka(): Promise<void> {
    this.kafkaPid = startKafka({ port: this.ports.kafka, controllerPort: this.ports.kafkaController, partitions: PARTITIONS, heap: '384m', log: () => undefined, dir: join(this.dir, 'kafka') });
    await waitForKafka(this.ports.kafka);
  }

  /** SIGTERM; a single KRaft node can take half a minute to shut down cleanly, so SIGKILL after 10 s. */
  stopKafka(): Promise<void> {
    return stopProcess(this.kafkaPid, 10_000);
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
