import { assertPersistenceKeepsServingViews } from '@modelreg/deployments-testing';
import { placementFromRows, placementRows } from './placement-rows';

describe("the deployment tracker's placement rows", () => {
  it('keep the serving view the placement fold computes, after every event of thousands of histories', () => {
    assertPersistenceKeepsServingViews((state) => {
      const stored = JSON.parse(JSON.stringify(placementRows(state))) as ReturnType<typeof placementRows>;
      return placementFromRows(state.placement, stored.placement, stored.deployments);
    });
  });
});
