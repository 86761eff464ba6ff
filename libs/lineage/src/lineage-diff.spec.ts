import { exampleRunRegistered } from '@modelreg/events';
import { diffLineage, type VersionLineage } from './lineage-diff';
import { toVersionView } from './version-view';

function lineage(version: number, change: (l: VersionLineage) => void = () => undefined): VersionLineage {
  const { envelope: _envelope, ...rest } = exampleRunRegistered('fraud-model', version);
  const copy = structuredClone(rest);
  change(copy);
  return copy;
}

describe('diffLineage', () => {
  it('finds nothing to report between identical lineages, apart from the version', () => {
    const diff = diffLineage(lineage(126), lineage(127));
    expect(diff).toMatchObject({ fromVersion: 126, toVersion: 127, identicalLineage: true, code: [], hyperparameters: [], seeds: [] });
    expect(diff.environment.fields).toEqual([]);
    expect(diff.metrics.overall.every((delta) => delta.delta === 0)).toBe(true);
  });

  it('names every change: commit, snapshot range, feature transform, typed hyperparameter, seed, package, driver and CUDA', () => {
    const candidate = lineage(127, (l) => {
      l.code.commit = 'a81b3c0';
      l.dataSnapshots[0]!.coveredTo = Date.UTC(2024, 0, 31);
      l.dataSnapshots.push({ snapshotId: 'clicks-2024-01', source: 'events.clicks', coveredFrom: 0, coveredTo: 1 });
      l.features[0]!.transformHash = 'd'.repeat(64);
      l.features.push({ name: 'merchant_risk', version: '1', transformHash: 'x' });
      l.hyperparameters['batch_size'] = { double: 2048 };
      delete l.hyperparameters['early_stopping'];
      l.seeds['numpy'] = '7';
      l.environment.gpuDriver = '545.23.08';
      l.environment.cudaVersion = '12.3';
      l.environment.packages = [
        { name: 'torch', version: '2.2.0', ecosystem: 'pypi' },
        { name: 'numpy', version: '1.26.3', ecosystem: 'pypi' },
      ];
      l.artifacts[0]!.sizeBytes = 2_100_000_000;
      l.metrics.overall['auc'] = 0.9191;
      l.metrics.slices[0]!.metrics['auc'] = 0.9;
    });
    const diff = diffLineage(lineage(126), candidate);
    expect(diff.identicalLineage).toBe(false);
    expect(diff.code).toEqual([{ field: 'commit', from: 'f3a9c21', to: 'a81b3c0' }]);
    expect(diff.dataSnapshots.added.map((s) => s.snapshotId)).toEqual(['clicks-2024-01']);
    expect(diff.dataSnapshots.changed).toEqual([
      { key: 'snap-2024-01-24', changes: [{ field: 'coveredTo', from: '2024-01-24T00:00:00.000Z', to: '2024-01-31T00:00:00.000Z' }] },
    ]);
    expect(diff.features.changed).toEqual([
      { key: 'txn_amount_zscore', changes: [{ field: 'transformHash', from: 'c'.repeat(64), to: 'd'.repeat(64) }] },
    ]);
    expect(diff.features.added.map((f) => f.name)).toEqual(['merchant_risk']);
    expect(diff.hyperparameters).toEqual([
      { field: 'batch_size', from: 2048, to: 2048, fromType: 'long', toType: 'double' },
      { field: 'early_stopping', from: true, to: null, fromType: 'boolean', toType: null },
    ]);
    expect(diff.seeds).toEqual([{ field: 'numpy', from: '42', to: '7' }]);
    expect(diff.environment.fields).toEqual([
      { field: 'gpuDriver', from: '535.104.05', to: '545.23.08' },
      { field: 'cudaVersion', from: '12.2', to: '12.3' },
    ]);
    expect(diff.environment.packages).toEqual({
      added: [{ name: 'numpy', version: '1.26.3', ecosystem: 'pypi' }],
      removed: [],
      changed: [{ key: 'pypi:torch', changes: [{ field: 'version', from: '2.1.2', to: '2.2.0' }] }],
    });
    expect(diff.artifacts.changed).toEqual([{ key: 'server', changes: [{ field: 'sizeBytes', from: 2_000_000_000, to: 2_100_000_000 }] }]);
    expect(diff.metrics.overall.find((d) => d.metric === 'auc')).toEqual({
      metric: 'auc',
      from: 0.912,
      to: 0.9191,
      delta: expect.closeTo(0.0071, 9),
    });
    expect(diff.metrics.slices[0]).toEqual({
      slice: 'country=US',
      deltas: expect.arrayContaining([{ metric: 'auc', from: 0.92, to: 0.9, delta: expect.closeTo(-0.02, 9) }]),
    });
  });

  it('reports metrics present on one side only with a null delta', () => {
    const diff = diffLineage(
      lineage(1),
      lineage(2, (l) => (l.metrics.overall['ndcg_at_20'] = 0.7)),
    );
    expect(diff.metrics.overall.find((d) => d.metric === 'ndcg_at_20')).toEqual({ metric: 'ndcg_at_20', from: null, to: 0.7, delta: null });
  });
});

describe('toVersionView', () => {
  it('answers plain hyperparameters with their types beside them and ISO 8601 times', () => {
    const stored = lineage(126);
    stored.hyperparameters = {
      learning_rate: { double: 0.001 },
      batch_size: { long: 2048 },
      dropout: { double: 0 },
      shuffle: { boolean: true },
      optimizer: { string: 'adam' },
    };
    const view = toVersionView(stored);
    expect(view.hyperparameters).toEqual({ learning_rate: 0.001, batch_size: 2048, dropout: 0, shuffle: true, optimizer: 'adam' });
    expect(view.hyperparameterTypes).toEqual({
      learning_rate: 'double',
      batch_size: 'long',
      dropout: 'double',
      shuffle: 'boolean',
      optimizer: 'string',
    });
    expect(view.dataSnapshots[0]).toMatchObject({
      coveredFrom: new Date(stored.dataSnapshots[0]!.coveredFrom).toISOString(),
      coveredTo: '2024-01-24T00:00:00.000Z',
    });
    expect(view.registeredAt).toBe(new Date(stored.registeredAt).toISOString());
    expect(view.seeds).toEqual(stored.seeds);
  });
});
