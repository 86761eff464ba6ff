import { exampleRunRegistered } from '@modelreg/events';
import { toModelVersionRow } from './model-version-row';

describe('toModelVersionRow', () => {
  it('keeps searchable columns and the lineage without the envelope', () => {
    const event = exampleRunRegistered('fraud-model', 127);
    const row = toModelVersionRow(event);
    expect(row).toMatchObject({
      modelName: 'fraud-model',
      modelVersion: 127,
      codeCommit: 'f3a9c21',
      environmentFingerprint: 'd'.repeat(64),
      eventId: event.envelope.eventId,
    });
    expect(row.lineage).not.toHaveProperty('envelope');
    expect(row.lineage.hyperparameters).toEqual(event.hyperparameters);
  });
});
