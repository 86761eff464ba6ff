import { createHash } from 'node:crypto';
import { buildEnvelope } from '../contracts/envelope';
import type { RunRegistered } from '../contracts/run-registered';

/**
 * A complete, realistic RunRegistered (the fraud-model example), deterministic for a given model and version;
 * override what a test is about.
 */
export function exampleRunRegistered(modelName: string, modelVersion: number, overrides: Partial<RunRegistered> = {}): RunRegistered {
  const registeredAt = Date.UTC(2024, 0, 25, 12, 0, 0) + modelVersion * 1000;
  return {
    envelope: buildEnvelope('RunRegistered', {
      eventId: deterministicUuid(`${modelName}:${modelVersion}`),
      occurredAt: registeredAt,
      producer: 'test',
      correlationId: `run-${modelVersion}`,
      requestId: `req-${modelVersion}`,
      principal: { subject: 'ci-trainer', issuer: 'https://idp.example.com', roles: ['trainer'] },
      modelName,
      modelVersion,
    }),
    modelName,
    modelVersion,
    trainingRunId: `run-${modelVersion}`,
    registeredAt,
    artifacts: [
      {
        target: 'server',
        format: 'SavedModel',
        sizeBytes: 2_000_000_000,
        sha256: 'a'.repeat(64),
        storageUri: `s3://models/sha256/${'a'.repeat(64)}`,
        signature: null,
      },
    ],
    code: { repository: 'git@example.com:ml/fraud.git', commit: 'f3a9c21', codeHash: 'b'.repeat(64) },
    dataSnapshots: [
      {
        snapshotId: 'snap-2024-01-24',
        source: 'warehouse.transactions',
        coveredFrom: Date.UTC(2024, 0, 10),
        coveredTo: Date.UTC(2024, 0, 24),
      },
    ],
    features: [{ name: 'txn_amount_zscore', version: '3', transformHash: 'c'.repeat(64) }],
    hyperparameters: {
      learning_rate: { double: 0.001 },
      batch_size: { long: 2048 },
      optimizer: { string: 'adam' },
      early_stopping: { boolean: true },
    },
    seeds: { framework: '42', numpy: '42', dataloader: '18446744073709551615' },
    environment: {
      fingerprint: 'd'.repeat(64),
      cpuModel: 'AMD EPYC 7R13',
      gpuModel: 'NVIDIA A100-SXM4-40GB',
      gpuCount: 8,
      gpuDriver: '535.104.05',
      cudaVersion: '12.2',
      cudnnVersion: '8.9.4',
      os: 'Ubuntu 22.04.3 LTS',
      kernel: '5.15.0-1051-aws',
      containerImageDigest: `sha256:${'e'.repeat(64)}`,
      lockfileHash: 'f'.repeat(64),
      packages: [{ name: 'torch', version: '2.1.2', ecosystem: 'pypi' }],
    },
    metrics: {
      overall: { auc: 0.912, calibration_slope: 1.01 },
      slices: [{ slice: 'country=US', trafficShare: 0.4, metrics: { auc: 0.92, calibration_slope: 1.0 } }],
      fairness: [{ attribute: 'age_band', group: '18-25', metrics: { precision: 0.81 } }],
      operational: [{ target: 'server', p99LatencyMs: 42, metrics: {} }],
    },
    labels: {},
    reproductionOf: null,
    ...overrides,
  };
}

/** A UUID-shaped id derived from a seed, so redelivery tests can produce the same event twice. */
export function deterministicUuid(seed: string): string {
  const hex = createHash('sha256').update(seed).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
