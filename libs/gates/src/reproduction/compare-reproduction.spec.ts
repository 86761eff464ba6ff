import { exampleRunRegistered, type RunRegistered } from '@modelreg/events';
import type { VersionLineage } from '@modelreg/lineage';
import { DEFAULT_POLICY } from '../policy/default-policy';
import type { GatePolicy } from '../policy/gate-policy';
import { recordReproduction } from './compare-reproduction';

const lineage = (version: number, overrides: Partial<RunRegistered> = {}): VersionLineage => {
  const { envelope: _envelope, ...rest } = exampleRunRegistered('fraud-model', version, overrides);
  return rest;
};
const policy: GatePolicy = { ...DEFAULT_POLICY, reproduction: { metricTolerance: { auc: { absolute: 0.002 } } } };
const compare = (reproduction: VersionLineage, withPolicy: GatePolicy = policy) =>
  recordReproduction({
    original: lineage(3),
    reproduction,
    policy: withPolicy,
    occurredAt: 1_700_000_000_000,
    producer: 'gate-validator',
    origin: { correlationId: 'c', requestId: null, principal: null },
    causationId: 'run-7',
  });
const metrics = (overall: Record<string, number>) => ({ ...lineage(7).metrics, overall });

describe('recordReproduction', () => {
  it('is EXACT when bytes, metrics, lineage and environment are the same', () => {
    const record = compare(lineage(7, { reproductionOf: 3 }));
    expect(record).toMatchObject({ modelVersion: 7, reproducedVersion: 3, outcome: 'EXACT', differences: [], lineageDifferences: [] });
    expect(record.artifacts).toEqual([
      { target: 'server', originalSha256: 'a'.repeat(64), reproducedSha256: 'a'.repeat(64), identical: true },
    ]);
    expect(record.envelope.subject).toEqual({ modelName: 'fraud-model', modelVersion: 7 });
    expect(compare(lineage(7)).envelope.eventId).toBe(record.envelope.eventId);
  });

  it('is WITHIN_TOLERANCE when other bytes on another driver reach metrics within the policy tolerance', () => {
    const base = lineage(7);
    const record = compare({
      ...base,
      artifacts: [{ ...base.artifacts[0]!, sha256: '9'.repeat(64) }],
      environment: { ...base.environment, fingerprint: '8'.repeat(64), gpuDriver: '550.54.15' },
      metrics: metrics({ auc: 0.9135, calibration_slope: 1.01 }),
    });
    expect(record.outcome).toBe('WITHIN_TOLERANCE');
    expect(record.metrics).toEqual([
      {
        metric: 'auc',
        original: 0.912,
        reproduced: 0.9135,
        difference: expect.closeTo(0.0015, 12),
        allowed: '<= 0.002',
        outcome: 'WITHIN_TOLERANCE',
      },
      { metric: 'calibration_slope', original: 1.01, reproduced: 1.01, difference: 0, allowed: 'exact', outcome: 'EXACT' },
    ]);
    expect(record.lineageDifferences).toEqual([{ field: 'environment.gpuDriver', original: '"535.104.05"', reproduced: '"550.54.15"' }]);
    expect(record.environment).toEqual({ originalFingerprint: 'd'.repeat(64), reproducedFingerprint: '8'.repeat(64), identical: false });
    expect(record.differences[0]).toBe(`the server artifact's bytes differ (${'a'.repeat(64)} → ${'9'.repeat(64)})`);
  });

  it('DIVERGES on a metric beyond its tolerance, an untolerated metric change, a missing metric or other inputs, listing each', () => {
    expect(compare({ ...lineage(7), metrics: metrics({ auc: 0.905, calibration_slope: 1.01 }) }).differences).toEqual([
      'auc 0.905 vs 0.912: difference 0.007, beyond the allowed <= 0.002',
    ]);
    expect(compare({ ...lineage(7), metrics: metrics({ auc: 0.912, calibration_slope: 1.02 }) }).outcome).toBe('DIVERGED');
    expect(compare({ ...lineage(7), metrics: metrics({ auc: 0.912 }) }).differences).toEqual([
      'calibration_slope is missing from the reproduction',
    ]);
    const otherSeed = compare(
      lineage(7, {
        seeds: { framework: '43', numpy: '42', dataloader: '18446744073709551615' },
        code: { ...lineage(7).code, commit: 'abc1234' },
      }),
    );
    expect(otherSeed).toMatchObject({
      outcome: 'DIVERGED',
      differences: ['code.commit differs: "f3a9c21" → "abc1234"', 'seeds.framework differs: "42" → "43"'],
    });
  });
});
