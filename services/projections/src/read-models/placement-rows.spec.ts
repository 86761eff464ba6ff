import { assertPersistenceKeepsServingViews } from '@modelreg/deployments-testing';
import { placementFromReadRows, placementReadRows } from './placement-rows';

describe("the projections' placement read models", () => {
  it('keep the serving view the placement fold computes, after every event of thousands of histories', () => {
    assertPersistenceKeepsServingViews((state) => {
      const stored = JSON.parse(JSON.stringify(placementReadRows(state))) as ReturnType<typeof placementReadRows>;
      return placementFromReadRows(state.placement, stored.placement, stored.deployments);
    });
  });
});
