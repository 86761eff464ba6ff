import { positionsOf } from './outbox-tables';

describe('positionsOf', () => {
  it('positions each partition a send reached where its records start, the lowest offset when reported twice', () => {
    expect(
      positionsOf([
        { topic: 'lineage', partition: 0, baseOffset: '120' },
        { topic: 'lineage', partition: 2, baseOffset: '7' },
        { topic: 'lineage', partition: 0, baseOffset: '118' },
        { topic: 'dead-letter', partition: 0, baseOffset: '3' },
      ]),
    ).toEqual([
      { topic: 'lineage', partition: 0, scanFrom: '118' },
      { topic: 'lineage', partition: 2, scanFrom: '7' },
      { topic: 'dead-letter', partition: 0, scanFrom: '3' },
    ]);
  });
});
