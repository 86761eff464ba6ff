import type { Placement } from './deployment-report';
import { emptyPlacement, type PlacementState } from './deployment-state';
import { evolvePlacement, servingView, type PlacementEvent } from './placement-fold';

const checkout: Placement = { modelName: 'fraud-model', service: 'scoring', surface: 'checkout', environment: 'production' };
const login: Placement = { ...checkout, surface: 'login' };
const T = Date.UTC(2024, 0, 20);

const started = (deploymentId: string, modelVersion: number, at: number, where = checkout): PlacementEvent => ({
  type: 'CanaryStarted',
  data: { deploymentId, ...where, modelVersion, trafficPercent: 10, baselineVersion: null, startedAt: at },
});
const rolledOut = (deploymentId: string, modelVersion: number, at: number): PlacementEvent => ({
  type: 'RolloutCompleted',
  data: { deploymentId, ...checkout, modelVersion, previousVersion: null, completedAt: at },
});
const rolledBack = (deploymentId: string, fromVersion: number, toVersion: number, at: number): PlacementEvent => ({
  type: 'RolledBack',
  data: { deploymentId, ...checkout, fromVersion, toVersion, reason: 'x', triggerMetric: null, triggerValue: null, rolledBackAt: at },
});
const retired = (deploymentId: string, modelVersion: number, at: number, where = checkout): PlacementEvent => ({
  type: 'DeploymentRetired',
  data: { deploymentId, ...where, modelVersion, reason: 'done', retiredAt: at },
});

const given = (events: PlacementEvent[], from: PlacementState = emptyPlacement(checkout)) => events.reduce(evolvePlacement, from);
const status = (state: PlacementState, id: string) => state.deployments.find((record) => record.deploymentId === id)?.status;

describe('the placement fold', () => {
  it('serves the rolled-out version and supersedes the deployment that served before', () => {
    const state = given([started('a', 1, T), rolledOut('a', 1, T + 1), started('b', 2, T + 2), rolledOut('b', 2, T + 3)]);
    expect(servingView(state)).toEqual({
      servingVersion: 2,
      servingDeploymentId: 'b',
      servingSince: T + 3,
      servedVersions: [1, 2],
      canaries: [],
    });
    expect([status(state, 'a'), status(state, 'b')]).toEqual(['SUPERSEDED', 'SERVING']);
  });

  it('a rollback revives the deployment of the restored version, so retiring it leaves nothing serving', () => {
    const state = given([
      started('a', 1, T),
      rolledOut('a', 1, T + 1),
      started('b', 2, T + 2),
      rolledOut('b', 2, T + 3),
      rolledBack('b', 2, 1, T + 4),
    ]);
    expect(servingView(state)).toMatchObject({ servingVersion: 1, servingDeploymentId: 'a', servingSince: T + 4 });
    expect([status(state, 'a'), status(state, 'b')]).toEqual(['SERVING', 'ROLLED_BACK']);
    expect(servingView(given([retired('a', 1, T + 5)], state))).toMatchObject({
      servingVersion: null,
      servingDeploymentId: null,
      servingSince: null,
    });
  });

  it('rolling back a canary keeps the serving deployment and since when it serves', () => {
    const state = given([started('a', 1, T), rolledOut('a', 1, T + 1), started('b', 2, T + 2), rolledBack('b', 2, 1, T + 4)]);
    expect(servingView(state)).toEqual({
      servingVersion: 1,
      servingDeploymentId: 'a',
      servingSince: T + 1,
      servedVersions: [1],
      canaries: [],
    });
  });

  it('retiring a canary of the serving version, or any deployment of another surface, leaves the serving version', () => {
    const state = given([
      started('a', 1, T),
      rolledOut('a', 1, T + 1),
      started('c', 1, T + 2, login),
      retired('c', 1, T + 3, login),
      started('b', 2, T + 4),
      retired('b', 2, T + 5),
    ]);
    expect(servingView(state)).toMatchObject({ servingVersion: 1, servingDeploymentId: 'a' });
  });

  it('ignores events about unknown or ended deployments, other placements and repeated starts', () => {
    const state = given([started('a', 1, T), rolledOut('a', 1, T + 1)]);
    expect(
      given([rolledOut('zz', 3, T + 2), retired('zz', 3, T + 2), started('a', 4, T + 3), started('x', 4, T + 3, login)], state),
    ).toEqual(state);
    const ended = given([retired('a', 1, T + 2)], state);
    expect(given([rolledBack('a', 1, 1, T + 3), retired('a', 1, T + 4)], ended)).toEqual(ended);
  });
});
