import { chmodSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKafkaClient, provisionTopics } from '@modelreg/kafka';
import { topicNames } from '@modelreg/events';
import { createJsonLogger } from '@modelreg/logging';
import {
  ensureKafkaJars, LOCAL_S3_CREDENTIALS, postgresUrl, registryServices, ServiceSupervisor, startKafka, startPostgres, startS3, stopPostgres, stopProcess, waitForKafka,
} from '@modelreg/local-stack';
import { freePort } from '@modelreg/testing';

const TOPIC_PREFIX = 'chaos';
const BUCKET = 'chaos-artifacts';
const PARTITIONS = 3;

/**
 * A registry of its own for the fault suite: Kafka, Postgres and S3 on free ports with their data
 * in a temporary folder, and the four services under a supervisor that restarts a service that
 * exits (as `npm start` or an orchestrator does). The suite stops and restarts these servers;
 * the shared local stack is never touched.
 */
export class PrivateStack {
  readonly dir = mkdtempSync(join(tmpdir(), 'modelreg-chaos-'));
  readonly topics = topicNames(TOPIC_PREFIX);
  env: Record<string, string> = {};
  supervisor: ServiceSupervisor | null = null;
  private ports = { kafka: 0, kafkaController: 0, postgres: 0, s3: 0, ingestion: 0, gateValidator: 0, deploymentTracker: 0, projections: 0 };
  private kafkaPid = 0;
  private s3Pid = 0;

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
    return postgresUrl(this.ports.postgres);
  }

  async start(): Promise<void> {
    process.once('SIGINT', this.interrupted);
    process.once('SIGTERM', this.interrupted);
    // Postgres runs as a user of its own when we are root; it must reach its folder inside.
    chmodSync(this.dir, 0o755);
    for (const name of Object.keys(this.ports) as Array<keyof typeof this.ports>) this.ports[name] = await freePort();
    ensureKafkaJars(this.print);
    await Promise.all([this.startKafka(), startPostgres(this.ports.postgres, this.print, join(this.dir, 'postgres')), this.startS3()]);
    this.env = {
      KAFKA_BROKERS: `127.0.0.1:${this.ports.kafka}`,
      TOPIC_PREFIX,
      TOPIC_PARTITIONS: String(PARTITIONS),
      DATABASE_URL: this.databaseUrl,
      S3_ENDPOINT: `http://127.0.0.1:${this.ports.s3}`,
      S3_REGION: 'us-east-1',
      S3_ACCESS_KEY_ID: LOCAL_S3_CREDENTIALS.accessKeyId,
      S3_SECRET_ACCESS_KEY: LOCAL_S3_CREDENTIALS.secretAccessKey,
      S3_BUCKET: BUCKET,
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

  startPostgres(): Promise<unknown> {
    return startPostgres(this.ports.postgres, () => undefined, join(this.dir, 'postgres'));
  }

  /** `immediate`: no checkpoint, as a crash; the next start recovers from the WAL. */
  crashPostgres(): void {
    stopPostgres(join(this.dir, 'postgres'), 'immediate');
  }

  async startS3(): Promise<void> {
    this.s3Pid = await startS3(this.ports.s3, BUCKET, () => undefined, join(this.dir, 's3'));
  }

  stopS3(): Promise<void> {
    return stopProcess(this.s3Pid);
  }

  /** Stops the services, then the servers, and removes the data unless `keep`. */
  async stop(keep: boolean): Promise<void> {
    process.off('SIGINT', this.interrupted);
    process.off('SIGTERM', this.interrupted);
    await this.supervisor?.stopAll();
    await this.stopS3().catch(() => undefined);
    try {
      stopPostgres(join(this.dir, 'postgres'), 'fast');
    } catch {
      // Already stopped.
    }
    await this.stopKafka().catch(() => undefined);
    if (!keep) rmSync(this.dir, { recursive: true, force: true });
  }
}
