import type { PlacementState } from '@modelreg/deployments';
import { assertPersistenceKeepsServingViews } from '@modelreg/deployments-testing';
import { placementDocument } from './gate-validator-state';

describe("the gate validator's placement documents", () => {
  it('keep the serving view the placement fold computes, after every event of thousands of histories', () => {
    assertPersistenceKeepsServingViews((state) => JSON.parse(JSON.stringify(placementDocument(state))) as PlacementState);
  });
});
