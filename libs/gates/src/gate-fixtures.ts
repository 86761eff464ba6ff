import type { GateSubject } from './evaluation/check-context';

/**
 * A candidate that passes the default policy against `baselineSubject()`: AUC +0.0071, top-5
 * slices calibrated, precision gap 0.01, mobile 200 MB, p99 under 100 ms on both targets.
 */
export function candidateSubject(overrides: Partial<GateSubject> = {}): GateSubject {
  return {
    modelName: 'fraud-model',
    modelVersion: 127,
    metrics: {
      overall: { auc: 0.9191, calibration_slope: 1.0 },
      slices: ['US', 'GB', 'DE', 'FR', 'IN', 'BR'].map((country, index) => ({
        slice: `country=${country}`,
        trafficShare: [0.3, 0.2, 0.15, 0.1, 0.1, 0.05][index] as number,
        metrics: { calibration_slope: 1.0 + index * 0.002, auc: 0.92 },
      })),
      fairness: [
        { attribute: 'age_band', group: '18-25', metrics: { precision: 0.8 } },
        { attribute: 'age_band', group: '26-40', metrics: { precision: 0.81 } },
        { attribute: 'gender', group: 'f', metrics: { precision: 0.805 } },
        { attribute: 'gender', group: 'm', metrics: { precision: 0.8 } },
      ],
      operational: [
        { target: 'mobile', p99LatencyMs: 35, metrics: {} },
        { target: 'server', p99LatencyMs: 42, metrics: {} },
      ],
    },
    artifacts: [
      { target: 'server', format: 'SavedModel', sizeBytes: 2_000_000_000, sha256: 'a'.repeat(64), storageUri: 's3://b/artifacts/sha256/a' },
      { target: 'mobile', format: 'TFLite', sizeBytes: 200_000_000, sha256: 'b'.repeat(64), storageUri: 's3://b/artifacts/sha256/b' },
    ],
    ...overrides,
  };
}

export function baselineSubject(): GateSubject {
  const subject = candidateSubject({ modelVersion: 126 });
  return { ...subject, metrics: { ...subject.metrics, overall: { auc: 0.912, calibration_slope: 1.0 } } };
}

/** A deep copy with `change` applied, so tests can vary one number without touching the fixture. */
export function withMetrics(subject: GateSubject, change: (metrics: GateSubject['metrics']) => void): GateSubject {
  const copy = structuredClone(subject);
  change(copy.metrics);
  return copy;
}
