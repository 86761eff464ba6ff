import { planReplayCleanup } from './replay-retention';

const HOUR = 3_600_000;
const NOW = Date.UTC(2026, 10, 27, 12);
const at = (hoursAgo: number) => NOW - hoursAgo * HOUR;
const policy = { now: NOW, retentionMs: 24 * HOUR, liveGroup: 'modelreg.projections', activeGeneration: null };

describe('replay retention', () => {
  it('keeps only the newest retired schema, while it is within the retention', () => {
    const retiredSchemas = [`projections_retired_${at(50)}`, `projections_retired_${at(2)}`, `projections_retired_${at(30)}`];
    expect(planReplayCleanup({ retiredSchemas, rebuildSchemas: [], rebuildGroups: [] }, policy).retiredSchemas).toEqual([
      `projections_retired_${at(30)}`,
      `projections_retired_${at(50)}`,
    ]);
  });

  it('drops the newest retired schema too once it is older than the retention', () => {
    const retiredSchemas = [`projections_retired_${at(25)}`];
    expect(planReplayCleanup({ retiredSchemas, rebuildSchemas: [], rebuildGroups: [] }, policy).retiredSchemas).toEqual(retiredSchemas);
  });

  it('removes schemas and groups of old replays, but not young ones nor the replay in progress', () => {
    const found = {
      retiredSchemas: [],
      rebuildSchemas: [`projections_rebuild_${at(48)}`, `projections_rebuild_${at(1)}`, `projections_rebuild_${at(72)}`],
      rebuildGroups: [
        `modelreg.projections.rebuild-${at(48)}`,
        `modelreg.projections.rebuild-${at(1)}`,
        `modelreg.projections.rebuild-${at(72)}`,
        'modelreg.projections',
        'modelreg.gate-validator',
        `othermodelreg.projections.rebuild-${at(48)}`,
      ],
    };
    const plan = planReplayCleanup(found, { ...policy, activeGeneration: at(72) });
    expect(plan.rebuildSchemas).toEqual([`projections_rebuild_${at(48)}`]);
    expect(plan.rebuildGroups).toEqual([`modelreg.projections.rebuild-${at(48)}`]);
  });

  it('ignores names that only look alike', () => {
    const found = {
      retiredSchemas: ['projections_retired_x', 'projections', 'projections_retired_'],
      rebuildSchemas: ['projections_rebuild_1x'],
      rebuildGroups: ['modelreg-projections.rebuild-1'],
    };
    expect(planReplayCleanup(found, policy)).toEqual({ retiredSchemas: [], rebuildSchemas: [], rebuildGroups: [] });
  });
});
