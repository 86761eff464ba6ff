import { exampleRunRegistered } from '@modelreg/events';
import { renderRecipe, reproductionManifest } from './reproduction-manifest';
import { toVersionView } from './version-view';

describe('reproduction manifest', () => {
  const { envelope: _envelope, ...stored } = exampleRunRegistered('fraud-model', 127);
  const lineage = toVersionView(stored);

  it('lists code, data, features, typed hyperparameters, every seed, the environment and the digests to expect', () => {
    const manifest = reproductionManifest(lineage);
    expect(manifest).toMatchObject({ modelName: 'fraud-model', modelVersion: 127, code: lineage.code });
    expect(manifest.hyperparameters).toEqual([
      { name: 'batch_size', type: 'long', value: 2048 },
      { name: 'early_stopping', type: 'boolean', value: true },
      { name: 'learning_rate', type: 'double', value: 0.001 },
      { name: 'optimizer', type: 'string', value: 'adam' },
    ]);
    expect(manifest.seeds).toEqual([
      { name: 'dataloader', value: '18446744073709551615' },
      { name: 'framework', value: '42' },
      { name: 'numpy', value: '42' },
    ]);
    expect(manifest.dataSnapshots[0]?.coveredFrom).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(manifest.environment).toMatchObject({
      cudnnVersion: '8.9.4',
      containerImageDigest: `sha256:${'e'.repeat(64)}`,
      packages: [{ ecosystem: 'pypi', name: 'torch', version: '2.1.2' }],
    });
    expect(manifest.expectedArtifacts.map((a) => a.sha256)).toEqual(
      [...lineage.artifacts].sort((a, b) => (a.target < b.target ? -1 : 1)).map((a) => a.sha256),
    );
  });

  it('says what it cannot pin down instead of guessing', () => {
    const bare = reproductionManifest({
      ...lineage,
      seeds: {},
      environment: { ...lineage.environment, containerImageDigest: null, lockfileHash: null, packages: [], cudnnVersion: null },
    });
    expect(bare.caveats).toEqual(
      expect.arrayContaining([
        'no container image digest was recorded: rebuild the environment from the package list',
        'neither a lockfile hash nor a package list was recorded: the environment cannot be pinned',
        'the cuDNN version was not recorded; GPU results may differ with another cuDNN',
        'no seeds were recorded: expect different weights',
      ]),
    );
  });

  it('reads as a recipe with the exact commands and values', () => {
    const recipe = renderRecipe(reproductionManifest(lineage)).join('\n');
    expect(recipe).toContain(`git clone ${lineage.code.repository} && git checkout ${lineage.code.commit}`);
    expect(recipe).toContain('pip install torch==2.1.2');
    expect(recipe).toContain('learning_rate = 0.001 (double)');
    expect(recipe).toContain('seed dataloader = 18446744073709551615');
    expect(recipe).toContain(`sha256 ${lineage.artifacts[0]?.sha256}`);
  });

  it('is the same for the same lineage whatever the order of its maps', () => {
    const reordered = {
      ...lineage,
      hyperparameters: Object.fromEntries(Object.entries(lineage.hyperparameters).reverse()),
      seeds: Object.fromEntries(Object.entries(lineage.seeds).reverse()),
    };
    expect(JSON.stringify(reproductionManifest(reordered))).toBe(JSON.stringify(reproductionManifest(lineage)));
  });
});
