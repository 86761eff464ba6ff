import type { GatePolicy } from './gate-policy';

/**
 * The seed policy. Units: metrics on a 0-1 scale (0.5 AUC points = 0.005), artifact sizes in
 * bytes (500 MB = 500,000,000 bytes, decimal), latency in milliseconds.
 */
export const DEFAULT_POLICY: GatePolicy = {
  policyId: 'default',
  version: 1,
  description:
    'Seed policy: AUC +0.005 over the baseline, calibration on the top 5 traffic slices, precision parity, mobile size, p99 latency.',
  models: ['*'],
  baseline: { rule: 'serving-full-traffic-else-latest-passed', environment: 'production', whenMissing: 'value-checks-only' },
  tolerance: 1e-9,
  checks: [
    { id: 'auc-improvement', kind: 'metric-change', metric: 'auc', change: { direction: 'higher', absolute: 0.005 } },
    {
      id: 'calibration-top5',
      kind: 'slice-threshold',
      metric: 'calibration_slope',
      slices: { topKByTraffic: 5 },
      bound: { target: 1, maxDeviation: 0.02 },
    },
    { id: 'precision-parity', kind: 'group-disparity', metric: 'precision', maxGap: 0.02 },
    { id: 'mobile-size', kind: 'artifact-size', target: 'mobile', bound: { below: 500_000_000 }, ifAbsent: 'skip' },
    { id: 'p99-latency', kind: 'operational', metric: 'p99_latency_ms', targets: 'all-artifact-targets', bound: { below: 100 } },
  ],
  guardrails: {
    canary: [
      { metric: 'p99_latency_ms', bound: { below: 100 } },
      { metric: 'ctr', maxRelativeDrop: 0.03 },
    ],
    offlineOnlineTolerance: { precision_at_10: 0.05, ndcg_at_20: 0.05 },
  },
};
