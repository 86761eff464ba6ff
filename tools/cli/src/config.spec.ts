import { loadCliConfig } from './config';

describe('CLI configuration', () => {
  it('sends MODELREG_TOKEN for every command when it is set', () => {
    expect(loadCliConfig({ MODELREG_TOKEN: 'eyJ.a.b', MODELREG_INGESTION_URL: 'http://registry:8080' }).tokens).toEqual({
      trainer: 'eyJ.a.b',
      reader: 'eyJ.a.b',
      auditor: 'eyJ.a.b',
    });
  });
});
