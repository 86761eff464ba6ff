import { exampleRunRegistered } from '@modelreg/events';
import { isNewPosition, toModelVersionRow } from './model-version-row';

describe('toModelVersionRow', () => {
  it('keeps searchable columns and the lineage without the envelope', () => {
    const event = exampleRunRegistered('fraud-model', 127);
    const row = toModelVersionRow(event);
    expect(row).toMatchObject({ modelName: 'fraud-model', modelVersion: 127, codeCommit: 'f3a9c21', environmentFingerprint: 'd'.repeat(64), eventId: event.envelope.eventId });
    expect(row.lineage).not.toHaveProperty('envelope');
    expect(row.lineage.hyperparameters).toEqual(event.hyperparameters);
  });
});

describe('isNewPosition', () => {
  it.each([
    ['0', null, true],
    ['4', '5', false],
    ['5', '5', true],
    ['9007199254740993', '9007199254740992', true],
  ])('offset %s against next offset %s is new: %s', (offset, next, expected) => {
    expect(isNewPosition(offset, next)).toBe(expected);
  });
});
