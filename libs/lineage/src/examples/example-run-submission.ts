/**
 * The JSON body a training cluster sends for the fraud-model example: commit f3a9c, a snapshot
 * covering 2024-01-10 to 2024-01-24, learning_rate 0.001, batch_size 2048.
 */
export function exampleRunSubmissionJson(
  modelName = 'fraud-model',
  trainingRunId = 'train-2024-01-25-001',
  artifactSha256 = 'a'.repeat(64),
  sizeBytes = 1024,
): Record<string, unknown> {
  return {
    modelName,
    trainingRunId,
    artifacts: [{ target: 'server', format: 'SavedModel', sizeBytes, sha256: artifactSha256 }],
    code: { repository: 'git@example.com:ml/fraud.git', commit: 'f3a9c21e', codeHash: 'sha256-9d1c0e' },
    dataSnapshots: [
      {
        snapshotId: 'txn-2024-01-24',
        source: 'warehouse.transactions',
        coveredFrom: '2024-01-10T00:00:00Z',
        coveredTo: '2024-01-24T00:00:00Z',
      },
    ],
    features: [{ name: 'txn_amount_zscore', version: '3', transformHash: 'th-77aa' }],
    hyperparameters: { learning_rate: 0.001, batch_size: 2048, optimizer: 'adam', dropout: { double: 0 } },
    seeds: { framework: 42, numpy: 42, python: 42, dataloader: '18446744073709551615' },
    environment: {
      cpuModel: 'AMD EPYC 7R13',
      gpuModel: 'NVIDIA A100-SXM4-40GB',
      gpuCount: 8,
      gpuDriver: '535.104.05',
      cudaVersion: '12.2',
      cudnnVersion: '8.9.4',
      os: 'Ubuntu 22.04.3 LTS',
      kernel: '5.15.0-1051-aws',
      containerImageDigest: `sha256:${'e'.repeat(64)}`,
      lockfileHash: 'lock-5f2e',
      packages: [
        { name: 'torch', version: '2.1.2' },
        { name: 'numpy', version: '1.26.3' },
      ],
    },
    metrics: {
      overall: { auc: 0.912, calibration_slope: 1.01 },
      slices: [
        { slice: 'country=US', trafficShare: 0.4, metrics: { auc: 0.92, calibration_slope: 1.0 } },
        { slice: 'country=GB', trafficShare: 0.2, metrics: { auc: 0.9, calibration_slope: 1.01 } },
      ],
      fairness: [
        { attribute: 'age_band', group: '18-25', metrics: { precision: 0.81 } },
        { attribute: 'age_band', group: '26-40', metrics: { precision: 0.82 } },
      ],
      operational: [{ target: 'server', p99LatencyMs: 42 }],
    },
  };
}
