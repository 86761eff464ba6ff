import { buildEnvelope, exampleRunRegistered, type GateEvaluated, type RegistryEvent } from '@modelreg/events';
import { baselineSubject, candidateSubject, withMetrics } from './gate-fixtures';
import type { GateSubject } from './evaluation/check-context';
import { decide, evolve, initialGateState, type EvaluateGate, type GateDecision, type GateModelState } from './gate-decider';
import { DEFAULT_POLICY } from './policy/default-policy';
import { policyContentHash } from './policy/policy-selection';

// given/when/then over the model's history, as the gate service sees it.
function runRegistered(subject: GateSubject): RegistryEvent {
  return {
    type: 'RunRegistered',
    data: { ...exampleRunRegistered(subject.modelName, subject.modelVersion), metrics: subject.metrics, artifacts: subject.artifacts },
  };
}
function gateEvaluated(version: number, verdict: 'PASSED' | 'FAILED'): RegistryEvent {
  const data = { candidateVersion: version, verdict } as Partial<GateEvaluated>;
  return {
    type: 'GateEvaluated',
    data: {
      ...data,
      envelope: buildEnvelope('GateEvaluated', {
        eventId: `g${version}`,
        occurredAt: 0,
        producer: 't',
        correlationId: 'c',
        modelName: 'fraud-model',
      }),
    } as GateEvaluated,
  };
}
const checkout = { service: 'scoring', surface: 'checkout', environment: 'production' };
const login = { service: 'scoring', surface: 'login', environment: 'production' };
function evaluateGate(candidateVersion: number): EvaluateGate {
  return {
    modelName: 'fraud-model',
    candidateVersion,
    trigger: 'RunRegistered',
    policy: DEFAULT_POLICY,
    occurredAt: 1_700_000_000_000,
    producer: 'gate-validator',
    origin: {
      correlationId: 'corr',
      requestId: 'req-1',
      principal: { subject: 'alice', issuer: 'https://idp.example', roles: ['trainer'] },
    },
    causationId: 'cause',
  };
}
/** The model's history, and what serves its placements (the placement fold's answer). */
function given(history: RegistryEvent[], placements: GateModelState['placements'] = []) {
  const state = { ...history.reduce(evolve, initialGateState('fraud-model')), placements };
  return {
    when: (command: EvaluateGate) => ({ then: (expectation: (decision: GateDecision) => void) => expectation(decide(command, state)) }),
  };
}
const failed = (decision: GateDecision) =>
  decision.ok ? decision.event.checks.filter((check) => check.outcome === 'FAILED').map((check) => check.checkId) : decision.reason;

describe('gate decider', () => {
  const v126 = baselineSubject();
  const v127 = candidateSubject();

  it('compares against the latest version that passed its gate when nothing serves 100%', () => {
    given([runRegistered(v126), gateEvaluated(126, 'PASSED'), runRegistered(v127)])
      .when(evaluateGate(127))
      .then((decision) => {
        expect(decision.ok && decision.event).toMatchObject({
          candidateVersion: 127,
          baselineVersion: 126,
          baselineRule: 'latest-passed',
          verdict: 'PASSED',
          eligibleForDeployment: true,
          trigger: 'RunRegistered',
        });
        expect(decision.ok && decision.event.policy).toEqual({
          policyId: 'default',
          policyVersion: 1,
          contentHash: policyContentHash(DEFAULT_POLICY),
        });
        expect(decision.ok && decision.event.envelope).toMatchObject({
          eventType: 'GateEvaluated',
          occurredAt: 1_700_000_000_000,
          causationId: 'cause',
          correlationId: 'corr',
          requestId: 'req-1',
          principal: { subject: 'alice', issuer: 'https://idp.example', roles: ['trainer'] },
          subject: { modelName: 'fraud-model', modelVersion: 127 },
        });
        expect(decision.ok && decision.event.baselines).toEqual([
          expect.objectContaining({ placement: null, baselineVersion: 126, baselineRule: 'latest-passed', verdict: 'PASSED' }),
        ]);
      });
  });

  it('prefers the version serving 100% in production over the latest passed one', () => {
    const v125 = withMetrics(baselineSubject(), (m) => (m.overall['auc'] = 0.93));
    given(
      [
        runRegistered({ ...v125, modelVersion: 125 }),
        gateEvaluated(125, 'PASSED'),
        runRegistered(v126),
        gateEvaluated(126, 'PASSED'),
        runRegistered(v127),
      ],
      [{ ...checkout, servingVersion: 125 }],
    )
      .when(evaluateGate(127))
      .then((decision) => {
        expect(decision.ok && decision.event).toMatchObject({
          baselineVersion: 125,
          baselineRule: 'serving-full-traffic:production',
          verdict: 'FAILED',
        });
        expect(failed(decision)).toEqual(['auc-improvement']);
      });
  });

  it('compares with the serving version of every placement in the policy environment, one evaluation each', () => {
    const v125 = withMetrics({ ...baselineSubject(), modelVersion: 125 }, (m) => (m.overall['auc'] = 0.93));
    const staging = { ...checkout, environment: 'staging', servingVersion: 125 };
    given(
      [runRegistered(v125), gateEvaluated(125, 'PASSED'), runRegistered(v126), gateEvaluated(126, 'PASSED'), runRegistered(v127)],
      [
        { ...login, servingVersion: 125 },
        { ...checkout, servingVersion: 126 },
        staging,
        { ...checkout, surface: 'idle', servingVersion: null },
      ],
    )
      .when(evaluateGate(127))
      .then((decision) => {
        if (!decision.ok) throw new Error(decision.reason);
        expect(decision.event.baselines.map((b) => [b.placement?.surface, b.baselineVersion, b.baselineRule, b.verdict])).toEqual([
          ['checkout', 126, 'serving-full-traffic:production', 'PASSED'],
          ['login', 125, 'serving-full-traffic:production', 'FAILED'],
        ]);
        expect(decision.event).toMatchObject({
          verdict: 'FAILED',
          eligibleForDeployment: false,
          baselineVersion: 125,
          baselineRule: 'serving-full-traffic:production',
        });
        expect(decision.event.checks).toEqual(decision.event.baselines[1]?.checks);
      });
  });

  it('where the candidate itself serves, that placement is compared with the latest earlier passed version', () => {
    given([runRegistered(v126), gateEvaluated(126, 'PASSED'), runRegistered(v127)], [{ ...checkout, servingVersion: 127 }])
      .when(evaluateGate(127))
      .then((decision) =>
        expect(decision.ok && decision.event.baselines.map((b) => [b.placement?.surface, b.baselineVersion, b.baselineRule])).toEqual([
          ['checkout', 126, 'latest-passed'],
        ]),
      );
  });

  it('under the latest-passed and none rules, ignores what serves', () => {
    const serving = [{ ...checkout, servingVersion: 126 }];
    const history = [runRegistered({ ...v126, modelVersion: 125 }), gateEvaluated(125, 'PASSED'), runRegistered(v126), runRegistered(v127)];
    const under = (rule: 'latest-passed' | 'none') => ({
      ...evaluateGate(127),
      policy: { ...DEFAULT_POLICY, baseline: { ...DEFAULT_POLICY.baseline, rule } },
    });
    given(history, serving)
      .when(under('latest-passed'))
      .then((decision) =>
        expect(decision.ok && decision.event.baselines.map((b) => [b.placement, b.baselineVersion, b.baselineRule])).toEqual([
          [null, 125, 'latest-passed'],
        ]),
      );
    given(history, serving)
      .when(under('none'))
      .then((decision) =>
        expect(decision.ok && decision.event.baselines.map((b) => [b.placement, b.baselineVersion, b.baselineRule])).toEqual([
          [null, null, 'none'],
        ]),
      );
  });

  it('never uses a failed version as the baseline', () => {
    given([runRegistered(v126), gateEvaluated(126, 'FAILED'), runRegistered(v127)])
      .when(evaluateGate(127))
      .then((decision) =>
        expect(decision.ok && decision.event).toMatchObject({ baselineVersion: null, baselineRule: 'no-baseline', verdict: 'PASSED' }),
      );
  });

  it('fails only the fairness check for a candidate whose precision gap is too wide', () => {
    const unfair = withMetrics(v127, (m) => ((m.fairness[1] as { metrics: Record<string, number> }).metrics['precision'] = 0.83));
    given([runRegistered(v126), gateEvaluated(126, 'PASSED'), runRegistered(unfair)])
      .when(evaluateGate(127))
      .then((decision) => expect(failed(decision)).toEqual(['precision-parity']));
  });

  it('refuses to decide on a version it has not seen registered', () => {
    given([runRegistered(v126)])
      .when(evaluateGate(127))
      .then((decision) => expect(decision).toEqual({ ok: false, reason: 'fraud-model v127 is not registered' }));
  });

  it('is deterministic: the same inputs give a byte-identical decision, with an id derived from them', () => {
    const history = [runRegistered(v126), gateEvaluated(126, 'PASSED'), runRegistered(v127)];
    const once = decide(evaluateGate(127), history.reduce(evolve, initialGateState('fraud-model')));
    const twice = decide(evaluateGate(127), history.reduce(evolve, initialGateState('fraud-model')));
    expect(JSON.stringify(twice)).toBe(JSON.stringify(once));
    const id = (decision: GateDecision) => (decision.ok ? decision.event.envelope.eventId : decision.reason);
    expect(id(once)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const otherCause = decide({ ...evaluateGate(127), causationId: 'other' }, history.reduce(evolve, initialGateState('fraud-model')));
    const otherBaseline = decide(evaluateGate(127), {
      ...history.reduce(evolve, initialGateState('fraud-model')),
      placements: [{ ...checkout, servingVersion: 126 }],
    });
    expect(new Set([id(once), id(otherCause), id(otherBaseline)]).size).toBe(3);
  });
});
