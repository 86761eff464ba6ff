import { exampleRunRegistered } from '@modelreg/events';
import { diffLineage } from '@modelreg/projections';
import { renderDiff } from './commands/diff.command';

describe('modelreg diff output', () => {
  it('prints each change a person needs to trace a regression', () => {
    const { envelope: _a, ...baseline } = exampleRunRegistered('fraud-model', 126);
    const { envelope: _b, ...candidate } = exampleRunRegistered('fraud-model', 127);
    candidate.code = { ...candidate.code, commit: 'a81b3c0' };
    candidate.environment = {
      ...candidate.environment,
      cudaVersion: '12.3',
      packages: [{ name: 'torch', version: '2.2.0', ecosystem: 'pypi' }],
    };
    candidate.metrics = { ...candidate.metrics, overall: { ...candidate.metrics.overall, auc: 0.9191 } };
    expect(renderDiff(diffLineage(baseline, candidate))).toEqual([
      'fraud-model: v126 -> v127',
      'code:',
      '  commit: f3a9c21 -> a81b3c0',
      'environment:',
      '  cudaVersion: 12.2 -> 12.3',
      '  ~ pypi:torch: version: 2.1.2 -> 2.2.0',
      'metrics:',
      '  auc: 0.912 -> 0.9191 (+0.0071)',
    ]);
  });
});
