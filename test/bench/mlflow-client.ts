/**
 * The MLflow side of the peer benchmark, over its REST API (the calls MLflow's own Python client
 * makes): one registration records the facts one of ours carries.
 */
export class MlflowRegistry {
  constructor(readonly url: string) {}

  async post<T>(path: string, body: unknown): Promise<T> {
    const response = await fetch(`${this.url}/api/2.0/mlflow/${path}`, {
      method: 'POST',
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json' },
    });
    const text = await response.text();
    if (response.status !== 200) throw new Error(`MLflow ${path}: ${response.status} ${text.slice(0, 300)}`);
    return JSON.parse(text) as T;
  }

  async get(path: string): Promise<number> {
    const response = await fetch(`${this.url}/api/2.0/mlflow/${path}`);
    await response.arrayBuffer();
    return response.status;
  }

  async createExperiment(name: string): Promise<string> {
    return (await this.post<{ experiment_id: string }>('experiments/create', { name })).experiment_id;
  }

  async createRegisteredModel(name: string): Promise<void> {
    await this.post('registered-models/create', { name });
  }

  /**
   * Create run; log-batch of params (hyperparameters, seeds, environment), metrics (overall,
   * per slice, fairness, operational) and tags (code, data snapshots, features, fingerprint);
   * create the model version from the run.
   */
  async register(experimentId: string, submission: Record<string, unknown>): Promise<void> {
    const run = submission as unknown as RunSubmission;
    const now = Date.now();
    const { run: created } = await this.post<{ run: { info: { run_id: string } } }>('runs/create', {
      experiment_id: experimentId,
      run_name: run.trainingRunId,
      start_time: now,
    });
    const runId = created.info.run_id;
    // MLflow names allow alphanumerics, _ - . space : / only: `country=US` becomes `country:US`.
    const metric = (key: string, value: number) => ({ key: key.replace(/[^A-Za-z0-9_\-. :/]/g, ':'), value, timestamp: now, step: 0 });
    const flat = (prefix: string, values: Record<string, unknown>) =>
      Object.entries(values).map(([key, value]) => ({
        key: `${prefix}${key}`,
        value: typeof value === 'object' ? JSON.stringify(value) : String(value),
      }));
    const { packages, ...environment } = run.environment;
    await this.post('runs/log-batch', {
      run_id: runId,
      params: [
        ...flat('', run.hyperparameters),
        ...flat('seed.', run.seeds),
        ...flat('env.', environment),
        { key: 'env.packages', value: JSON.stringify(packages) },
      ],
      metrics: [
        ...Object.entries(run.metrics.overall).map(([key, value]) => metric(key, value)),
        ...run.metrics.slices.flatMap((slice) => [
          metric(`slice.${slice.slice}.traffic_share`, slice.trafficShare),
          ...Object.entries(slice.metrics).map(([key, value]) => metric(`slice.${slice.slice}.${key}`, value)),
        ]),
        ...run.metrics.fairness.flatMap((group) =>
          Object.entries(group.metrics).map(([key, value]) => metric(`fairness.${group.attribute}.${group.group}.${key}`, value)),
        ),
        ...run.metrics.operational.map((operational) =>
          metric(`operational.${operational.target}.p99_latency_ms`, operational.p99LatencyMs),
        ),
      ],
      tags: [
        { key: 'code_repository', value: run.code.repository },
        { key: 'code_commit', value: run.code.commit },
        { key: 'code_hash', value: run.code.codeHash },
        // One tag per snapshot id (searchable) and the full list, as MLflow users record datasets.
        ...run.dataSnapshots.map((snapshot) => ({ key: 'data_snapshot', value: snapshot.snapshotId })),
        { key: 'data_snapshots', value: JSON.stringify(run.dataSnapshots) },
        { key: 'features', value: JSON.stringify(run.features) },
        { key: 'environment_fingerprint', value: run.environment.lockfileHash },
        { key: 'artifacts', value: JSON.stringify(run.artifacts) },
      ],
    });
    await this.post('model-versions/create', { name: run.modelName, source: `runs:/${runId}/model`, run_id: runId });
  }
}

interface RunSubmission {
  modelName: string;
  trainingRunId: string;
  artifacts: unknown[];
  code: { repository: string; commit: string; codeHash: string };
  dataSnapshots: Array<{ snapshotId: string }>;
  features: unknown[];
  hyperparameters: Record<string, unknown>;
  seeds: Record<string, unknown>;
  environment: { packages: unknown[]; lockfileHash: string } & Record<string, unknown>;
  metrics: {
    overall: Record<string, number>;
    slices: Array<{ slice: string; trafficShare: number; metrics: Record<string, number> }>;
    fairness: Array<{ attribute: string; group: string; metrics: Record<string, number> }>;
    operational: Array<{ target: string; p99LatencyMs: number }>;
  };
}
