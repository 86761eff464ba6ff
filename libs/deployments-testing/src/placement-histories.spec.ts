import fc from 'fast-check';
import { emptyPlacement, evolvePlacement } from '@modelreg/deployments';
import { HISTORY_PLACEMENT, placementHistories } from './placement-histories';

describe('the placement fold over generated histories', () => {
  it('keeps its invariants over thousands of valid and invalid histories', () => {
    fc.assert(
      fc.property(placementHistories(), (events) => {
        let state = emptyPlacement(HISTORY_PLACEMENT);
        for (const event of events) {
          state = evolvePlacement(state, event);
          const serving = state.deployments.filter((record) => record.status === 'SERVING');
          expect(serving.length).toBeLessThanOrEqual(1);
          if (serving[0])
            expect(state).toMatchObject({ servingDeploymentId: serving[0].deploymentId, servingVersion: serving[0].modelVersion });
          else expect(state.servingDeploymentId).toBeNull();
          if (state.servingVersion !== null) expect(state.servedVersions).toContain(state.servingVersion);
          expect(state.deployments.every((record) => record.placement === state.placement)).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('generates valid histories (from the deployment decider) and invalid ones', () => {
    const kinds = ['CanaryStarted', 'CanaryTrafficChanged', 'RolloutCompleted', 'RolledBack', 'DeploymentRetired'];
    const valid = fc.sample(placementHistories({ invalid: false }), { numRuns: 200, seed: 1 }).flat();
    expect(new Set(valid.map((event) => event.type))).toEqual(new Set(kinds));
    expect(valid.every((event) => event.data.surface === HISTORY_PLACEMENT.surface)).toBe(true);
    const mixed = fc.sample(placementHistories(), { numRuns: 200, seed: 1 }).flat();
    expect(mixed.some((event) => event.data.surface !== HISTORY_PLACEMENT.surface)).toBe(true);
  });
});
