import { buildEnvelope, type GateEvaluated, type PlacementBaseline } from '@modelreg/events';
import type { Placement } from './deployment-report';
import { placementVerdicts, promotionTargets, verdictOn } from './promotion';

const checkout: Placement = { modelName: 'fraud-model', service: 'scoring', surface: 'checkout', environment: 'production' };
const login: Placement = { ...checkout, surface: 'login' };
const where = ({ service, surface, environment }: Placement) => ({ service, surface, environment });

function baseline(placement: Placement | null, verdict: 'PASSED' | 'FAILED'): PlacementBaseline {
  return {
    placement: placement && where(placement),
    baselineVersion: 3,
    baselineRule: 'serving-full-traffic:production',
    checks: [],
    verdict,
    eligibleForDeployment: verdict === 'PASSED',
  };
}
function decision(baselines: PlacementBaseline[]): GateEvaluated {
  const passed = baselines.every((b) => b.verdict === 'PASSED');
  return {
    envelope: buildEnvelope('GateEvaluated', {
      eventId: 'e',
      occurredAt: 0,
      producer: 'p',
      correlationId: 'c',
      modelName: 'fraud-model',
      modelVersion: 5,
    }),
    modelName: 'fraud-model',
    candidateVersion: 5,
    baselineVersion: 3,
    baselineRule: 'x',
    policy: { policyId: 'default', policyVersion: 1, contentHash: 'h' },
    trigger: 'RunRegistered',
    checks: [],
    verdict: passed ? 'PASSED' : 'FAILED',
    eligibleForDeployment: passed,
    baselines,
  };
}

describe('promotion where the gate passed', () => {
  it('promotes only to the placements the candidate passed on', () => {
    const fresh = { ...checkout, surface: 'fresh' };
    expect(promotionTargets(decision([baseline(checkout, 'PASSED'), baseline(login, 'FAILED')]), [checkout, login, fresh])).toEqual([
      checkout,
    ]);
    expect(promotionTargets(decision([baseline(checkout, 'PASSED'), baseline(login, 'PASSED')]), [fresh, login])).toEqual([
      fresh,
      login,
      checkout,
    ]);
  });

  it('with no placement compared, promotes a pass to every placement of the model, and a failure nowhere', () => {
    expect(promotionTargets(decision([baseline(null, 'PASSED')]), [checkout, login])).toEqual([checkout, login]);
    expect(promotionTargets(decision([baseline(null, 'FAILED')]), [checkout, login])).toEqual([]);
    expect(promotionTargets(decision([]), [checkout])).toEqual([checkout]);
  });

  it("judges a placement by the decision's verdict there, else by the overall verdict", () => {
    const mixed = decision([baseline(checkout, 'PASSED'), baseline(login, 'FAILED')]);
    const facts = { registered: true, latestVerdict: mixed.verdict, placementVerdicts: placementVerdicts(mixed), offlineMetrics: {} };
    expect([verdictOn(facts, checkout), verdictOn(facts, login), verdictOn(facts, { ...checkout, surface: 'new' })]).toEqual([
      'PASSED',
      'FAILED',
      'FAILED',
    ]);
  });
});
