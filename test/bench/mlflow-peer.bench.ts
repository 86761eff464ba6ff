import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { exampleRunSubmissionJson } from '@modelreg/lineage';
import {
  bearer,
  createTestEnvironment,
  eventually,
  freePort,
  REPO_ROOT,
  startService,
  stackConnection,
  type RunningService,
} from '@modelreg/testing';
import { median, percentile, round } from './bench-stats';
import { setting, type BenchContext, type BenchResult } from './bench-context';
import { MlflowRegistry } from './mlflow-client';

const MLFLOW = resolve(REPO_ROOT, '.local/python-venv/bin/mlflow');
const MODELS = 50;
const SNAPSHOTS = 100;

interface Load {
  done: number;
  failures: number;
  seconds: number;
  latencies: number[];
  /** The first failure, to say why. */
  firstError?: string;
}

/** `concurrency` clients, each sending its next request when the last is answered, until `count` are done or `seconds` pass. */
async function closedLoop(
  concurrency: number,
  limit: { seconds?: number; count?: number },
  request: (index: number) => Promise<void>,
): Promise<Load> {
  const load: Load = { done: 0, failures: 0, seconds: 0, latencies: [] };
  const deadline = performance.now() + (limit.seconds ?? Infinity) * 1000;
  let next = 0;
  const client = async () => {
    while (performance.now() < deadline && next < (limit.count ?? Infinity)) {
      const index = next++;
      const started = performance.now();
      try {
        await request(index);
        load.latencies.push(performance.now() - started);
        load.done += 1;
      } catch (error) {
        load.failures += 1;
        load.firstError ??= (error as Error).message;
      }
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, client));
  load.seconds = (performance.now() - started) / 1000;
  return load;
}

async function expectOk(url: string, init?: RequestInit, status = 200): Promise<void> {
  const response = await fetch(url, init);
  await response.arrayBuffer();
  if (response.status !== status) throw new Error(`${url}: ${response.status}`);
}

interface MlflowServer {
  workers: number;
  registry: MlflowRegistry;
  process: ChildProcess;
}

async function startMlflow(backendStoreUri: string, artifactRoot: string, workers: number): Promise<MlflowServer> {
  const port = await freePort();
  const child = spawn(
    MLFLOW,
    [
      'server',
      '--backend-store-uri',
      backendStoreUri,
      '--default-artifact-root',
      artifactRoot,
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      '--workers',
      String(workers),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const registry = new MlflowRegistry(`http://127.0.0.1:${port}`);
  try {
    await eventually(
      () =>
        fetch(`${registry.url}/health`).then(
          (r) => r.status,
          () => 0,
        ),
      (status) => status === 200 || child.exitCode !== null,
      { timeoutMs: 600_000, intervalMs: 500, what: `MLflow (${workers} workers) up` },
    );
  } catch (error) {
    // Its workers and job runners go with it on SIGTERM.
    child.kill('SIGTERM');
    throw error;
  }
  if (child.exitCode !== null) throw new Error(`MLflow exited ${child.exitCode}:\n${output.slice(-3000)}`);
  return { workers, registry, process: child };
}

/** A registration body: models and data snapshots shared so lookups and searches have work to do. */
function submission(index: number, round: number, sha256: string, size: number): Record<string, unknown> {
  const body = exampleRunSubmissionJson(`peer-model-${index % MODELS}`, `peer-run-${round}-${index}`, sha256, size);
  body['dataSnapshots'] = [
    { ...(body['dataSnapshots'] as Array<Record<string, unknown>>)[0], snapshotId: `peer-snapshot-${index % SNAPSHOTS}` },
  ];
  return body;
}

/**
 * BENCH_PEER_ROUNDS (default 3), BENCH_PEER_SECONDS (registration seconds per round and system,
 * default 30), BENCH_PEER_CONCURRENCY (default 16), BENCH_PEER_LOOKUPS (lookups and searches per
 * round and system, default 1000), BENCH_MLFLOW_WORKERS (comma-separated worker counts, each an
 * MLflow server of its own, default "2,4,8"), BENCH_PEER_WARMUP_SECONDS (untimed registrations per
 * system before the first round, default 5; each timed lookup and search run also follows 200
 * untimed ones, for both systems alike): registrations, lookups of a version and searches by
 * data snapshot against MLflow (from PyPI, `.local/python-venv`, Postgres backend store in a
 * database of its own on the shared Postgres; psycopg2-binary, in the test extras) with the same HTTP client and
 * concurrency, rounds interleaved. The best MLflow configuration is the one to beat.
 */
export async function mlflowPeerBenchmark(context: BenchContext): Promise<BenchResult> {
  const rounds = setting(context, 'BENCH_PEER_ROUNDS', 3);
  const seconds = setting(context, 'BENCH_PEER_SECONDS', 30);
  const concurrency = setting(context, 'BENCH_PEER_CONCURRENCY', 16);
  const lookups = setting(context, 'BENCH_PEER_LOOKUPS', 1000);
  const warmupSeconds = setting(context, 'BENCH_PEER_WARMUP_SECONDS', 5);
  const workerCounts = (context.settings['BENCH_MLFLOW_WORKERS'] ?? '2,4,8').split(',').map(Number);
  if (!existsSync(MLFLOW)) throw new Error(`${MLFLOW} is missing: the test command installs MLflow there (clients/python test extras)`);
  const environment = await createTestEnvironment('bench-peer');
  const mlflowDatabase = `${environment.id.replace(/-/g, '_')}_mlflow`;
  const admin = new Client({ connectionString: stackConnection()['DATABASE_URL'] });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${mlflowDatabase}`);
  const backend = new URL(environment.databaseUrl);
  backend.pathname = `/${mlflowDatabase}`;
  // psycopg2 (psycopg2-binary): SQLAlchemy 2.1 would pick psycopg 3 for a plain postgresql:// URI.
  backend.protocol = 'postgresql+psycopg2:';
  const artifactRoot = mkdtempSync(join(tmpdir(), 'bench-mlflow-'));
  const services: RunningService[] = [];
  const servers: MlflowServer[] = [];
  try {
    services.push(await startService('ingestion', { ...environment.env, LOG_LEVEL: 'error' }, { compiled: true }));
    services.push(await startService('projections', { ...environment.env, LOG_LEVEL: 'error' }, { compiled: true }));
    const [ingestion, projections] = services as [RunningService, RunningService];
    const bytes = Buffer.from('peer bench artifact');
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    await expectOk(
      `${ingestion.url}/v1/artifacts/${sha256}`,
      { method: 'PUT', body: bytes, headers: { ...bearer('trainer'), 'content-type': 'application/octet-stream' } },
      201,
    );
    // One server first, alone: it creates MLflow's tables (alembic) before others start on the same store.
    for (const workers of workerCounts) servers.push(await startMlflow(backend.toString(), `file://${artifactRoot}`, workers));
    // Setup calls are retried: a worker still booting (/health answered by another) drops the connection.
    const settled = <T>(call: () => Promise<T>, what: string) =>
      eventually(
        () =>
          call().then(
            (value) => ({ value }),
            () => null,
          ),
        (result) => result !== null,
        { timeoutMs: 120_000, intervalMs: 1000, what },
      ).then((result) => (result as { value: T }).value);
    const experiments = new Map<MlflowServer, string>();
    for (const server of servers)
      experiments.set(server, await settled(() => server.registry.createExperiment(`peer-${server.workers}`), 'MLflow experiment'));
    const first = servers[0] as MlflowServer;
    for (let model = 0; model < MODELS; model += 1)
      await settled(
        () =>
          first.registry.createRegisteredModel(`peer-model-${model}`).catch((error: Error) => {
            if (!/RESOURCE_ALREADY_EXISTS/.test(error.message)) throw error;
          }),
        'MLflow registered model',
      );

    type System = {
      name: string;
      register: (body: Record<string, unknown>) => Promise<void>;
      byVersion: (model: string, version: number) => Promise<void>;
      bySnapshot: (snapshot: string) => Promise<void>;
    };
    const ours: System = {
      name: 'modelreg',
      register: (body) =>
        expectOk(
          `${ingestion.url}/v1/runs`,
          { method: 'POST', body: JSON.stringify(body), headers: { ...bearer('trainer'), 'content-type': 'application/json' } },
          201,
        ),
      byVersion: (model, version) => expectOk(`${projections.url}/v1/models/${model}/versions/${version}`, { headers: bearer('reader') }),
      bySnapshot: (snapshot) => expectOk(`${projections.url}/v1/impact?dataSnapshot=${snapshot}`, { headers: bearer('reader') }),
    };
    const systems: System[] = [
      ours,
      ...servers.map((server): System => {
        const experimentId = experiments.get(server) as string;
        return {
          name: `mlflow_${server.workers}w`,
          register: (body) => server.registry.register(experimentId, body),
          byVersion: async (model, version) => {
            const status = await server.registry.get(`model-versions/get?name=${model}&version=${version}`);
            if (status !== 200) throw new Error(`model-versions/get: ${status}`);
          },
          bySnapshot: async (snapshot) => {
            await server.registry.post('runs/search', {
              experiment_ids: [...experiments.values()],
              filter: `tags.data_snapshot = '${snapshot}'`,
              max_results: 1000,
            });
          },
        };
      }),
    ];
    const figures = new Map<string, { registrations: number[]; failures: number; byVersion: Load[]; bySnapshot: Load[] }>(
      systems.map((system) => [system.name, { registrations: [], failures: 0, byVersion: [], bySnapshot: [] }]),
    );
    const registered = new Map<string, number>([
      ['modelreg', 0],
      ['mlflow', 0],
    ]);
    const family = (system: System) => (system === ours ? 'modelreg' : 'mlflow');
    // Warm-up (JIT, connection pools, caches), untimed and alike for every system; its versions count for the lookups.
    for (const system of systems) {
      const load = await closedLoop(concurrency, { seconds: warmupSeconds }, (index) =>
        system.register(submission(index, systems.indexOf(system), sha256, bytes.length)),
      );
      registered.set(family(system), (registered.get(family(system)) ?? 0) + load.done);
    }
    for (let roundNo = 1; roundNo <= rounds; roundNo += 1) {
      for (const system of systems) {
        const load = await closedLoop(concurrency, { seconds }, (index) =>
          system.register(submission(index, roundNo * 1000 + systems.indexOf(system), sha256, bytes.length)),
        );
        const entry = figures.get(system.name)!;
        entry.registrations.push(load.done / load.seconds);
        entry.failures += load.failures;
        registered.set(family(system), (registered.get(family(system)) ?? 0) + load.done);
        context.log(
          `round ${roundNo} ${system.name}: ${round(load.done / load.seconds)} registrations/s, ` +
            `${load.failures} failed${load.firstError ? ` (${load.firstError})` : ''}`,
        );
      }
      // Versions are numbered per model in both: the lookups ask for versions every system has.
      // MLflow's servers share one store and its registered models.
      // Registration i goes to model i % MODELS, so models below `both` have versions up to `versionsPerModel` in each.
      const both = Math.max(1, Math.min(registered.get('modelreg') as number, registered.get('mlflow') as number));
      const modelsWithVersions = Math.min(MODELS, both);
      const versionsPerModel = Math.max(1, Math.floor(both / MODELS));
      await eventually(
        () =>
          fetch(`${projections.url}/v1/models/peer-model-${modelsWithVersions - 1}/versions?limit=1`, { headers: bearer('reader') }).then(
            (r) => r.json() as Promise<{ total?: number }>,
          ),
        (body) => (body.total ?? 0) >= versionsPerModel,
        { timeoutMs: 300_000, intervalMs: 500, what: 'registrations projected' },
      );
      for (const system of systems) {
        const entry = figures.get(system.name)!;
        const byVersion = (index: number) => system.byVersion(`peer-model-${index % modelsWithVersions}`, 1 + (index % versionsPerModel));
        const bySnapshot = (index: number) => system.bySnapshot(`peer-snapshot-${(index * 7) % SNAPSHOTS}`);
        await closedLoop(concurrency, { count: 200 }, byVersion);
        entry.byVersion.push(await closedLoop(concurrency, { count: lookups }, byVersion));
        await closedLoop(concurrency, { count: 200 }, bySnapshot);
        entry.bySnapshot.push(await closedLoop(concurrency, { count: lookups }, bySnapshot));
      }
    }
    const result: Record<string, number | string | null> = { rounds, seconds_per_round: seconds, concurrency, lookups_per_round: lookups };
    const rate = (loads: Load[]) => median(loads.map((load) => load.done / load.seconds));
    const p99 = (loads: Load[]) => median(loads.map((load) => percentile(load.latencies, 99)));
    for (const [name, entry] of figures) {
      result[`${name}_registrations_per_s`] = round(median(entry.registrations));
      result[`${name}_registration_failures`] = entry.failures;
      result[`${name}_version_lookups_per_s`] = round(rate(entry.byVersion));
      result[`${name}_version_lookup_p99_ms`] = round(p99(entry.byVersion));
      result[`${name}_snapshot_searches_per_s`] = round(rate(entry.bySnapshot));
      result[`${name}_snapshot_search_p99_ms`] = round(p99(entry.bySnapshot));
      result[`${name}_lookup_failures`] = [...entry.byVersion, ...entry.bySnapshot].reduce((sum, load) => sum + load.failures, 0);
    }
    const peers = systems.filter((system) => system !== ours).map((system) => figures.get(system.name)!);
    const mine = figures.get('modelreg')!;
    result['registrations_vs_best_mlflow'] = round(
      median(mine.registrations) / Math.max(...peers.map((peer) => median(peer.registrations))),
      2,
    );
    result['version_lookups_vs_best_mlflow'] = round(rate(mine.byVersion) / Math.max(...peers.map((peer) => rate(peer.byVersion))), 2);
    result['snapshot_searches_vs_best_mlflow'] = round(rate(mine.bySnapshot) / Math.max(...peers.map((peer) => rate(peer.bySnapshot))), 2);
    return {
      name: 'peer: modelreg vs MLflow (Postgres backend store)',
      figures: result,
      notes:
        `MLflow ${workerCounts.join('/')} workers (uvicorn, one server each, same database); ` +
        `same Node fetch client, ${concurrency} concurrent, rounds interleaved; medians of rounds.`,
    };
  } finally {
    for (const server of servers) server.process.kill('SIGTERM');
    for (const service of services) await service.stop();
    await admin.query(`DROP DATABASE IF EXISTS ${mlflowDatabase} WITH (FORCE)`).catch(() => undefined);
    await admin.end();
    rmSync(artifactRoot, { recursive: true, force: true });
    await environment.dispose();
  }
}
