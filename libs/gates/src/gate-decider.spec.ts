import { buildEnvelope, exampleRunRegistered, type GateEvaluated, type RegistryEvent } from '@modelreg/events';
import { baselineSubject, candidateSubject, withMetrics } from './gate-fixtures';
import type { GateSubject } from './evaluation/check-context';
import { decide, evolve, initialGateState, type EvaluateGate, type GateDecision } from './gate-decider';
import { DEFAULT_POLICY } from './policy/default-policy';
import { policyContentHash } from './policy/policy-selection';

// given/when/then over the model's history, as the gate service sees it.
function runRegistered(subject: GateSubject): RegistryEvent {
  return { type: 'RunRegistered', data: { ...exampleRunRegistered(subject.modelName, subject.modelVersion), metrics: subject.metrics, artifacts: subject.artifacts } };
}
function gateEvaluated(version: number, verdict: 'PASSED' | 'FAILED'): RegistryEvent {
  const data = { candidateVersion: version, verdict } as Partial<GateEvaluated>;
  return { type: 'GateEvaluated', data: { ...data, envelope: buildEnvelope('GateEvaluated', { eventId: `g${version}`, occurredAt: 0, producer: 't', correlationId: 'c', modelName: 'fraud-model' }) } as GateEvaluated };
}
function rolledBack(toVersion: number): RegistryEvent {
  return { type: 'RolledBack', data: { envelope: buildEnvelope('RolledBack', { eventId: 'r', occurredAt: 0, producer: 't', correlationId: 'c', modelName: 'fraud-model' }), deploymentId: 'd', modelName: 'fraud-model', service: 'scoring', surface: 'checkout', environment: 'production', fromVersion: 127, toVersion, reason: 'p99', triggerMetric: null, triggerValue: null, rolledBackAt: 0 } };
}
function evaluateGate(candidateVersion: number): EvaluateGate {
  return { modelName: 'fraud-model', candidateVersion, trigger: 'RunRegistered', policy: DEFAULT_POLICY, eventId: `decision-${candidateVersion}`, occurredAt: 1_700_000_000_000, producer: 'gate-validator/test', correlationId: 'corr', causationId: 'cause' };
}
function given(history: RegistryEvent[]) {
  const state = history.reduce(evolve, initialGateState('fraud-model'));
  return { when: (command: EvaluateGate) => ({ then: (expectation: (decision: GateDecision) => void) => expectation(decide(command, state)) }) };
}
const failed = (decision: GateDecision) => (decision.ok ? decision.event.checks.filter((check) => check.outcome === 'FAILED').map((check) => check.checkId) : decision.reason);

describe('gate decider', () => {
  const v126 = baselineSubject();
  const v127 = candidateSubject();

  it('compares against the latest version that passed its gate when nothing serves 100%', () => {
    given([runRegistered(v126), gateEvaluated(126, 'PASSED'), runRegistered(v127)])
      .when(evaluateGate(127))
      .then((decision) => {
        expect(decision.ok && decision.event).toMatchObject({ candidateVersion: 127, baselineVersion: 126, baselineRule: 'latest-passed', verdict: 'PASSED', eligibleForDeployment: true, trigger: 'RunRegistered' });
        expect(decision.ok && decision.event.policy).toEqual({ policyId: 'default', policyVersion: 1, contentHash: policyContentHash(DEFAULT_POLICY) });
        expect(decision.ok && decision.event.envelope).toMatchObject({ eventId: 'decision-127', eventType: 'GateEvaluated', causationId: 'cause', subject: { modelName: 'fraud-model', modelVersion: 127 } });
      });
  });

  it('prefers the version serving 100% in production over the latest passed one', () => {
    const v125 = withMetrics(baselineSubject(), (m) => (m.overall['auc'] = 0.93));
    given([runRegistered({ ...v125, modelVersion: 125 }), gateEvaluated(125, 'PASSED'), runRegistered(v126), gateEvaluated(126, 'PASSED'), rolledBack(125), runRegistered(v127)])
      .when(evaluateGate(127))
      .then((decision) => {
        expect(decision.ok && decision.event).toMatchObject({ baselineVersion: 125, baselineRule: 'serving-full-traffic:production', verdict: 'FAILED' });
        expect(failed(decision)).toEqual(['auc-improvement']);
      });
  });

  it('never uses a failed version as the baseline', () => {
    given([runRegistered(v126), gateEvaluated(126, 'FAILED'), runRegistered(v127)])
      .when(evaluateGate(127))
      .then((decision) => expect(decision.ok && decision.event).toMatchObject({ baselineVersion: null, baselineRule: 'no-baseline', verdict: 'PASSED' }));
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

  it('is deterministic: the same inputs give a byte-identical decision', () => {
    const history = [runRegistered(v126), gateEvaluated(126, 'PASSED'), runRegistered(v127)];
    const once = decide(evaluateGate(127), history.reduce(evolve, initialGateState('fraud-model')));
    const twice = decide(evaluateGate(127), history.reduce(evolve, initialGateState('fraud-model')));
    expect(JSON.stringify(twice)).toBe(JSON.stringify(once));
  });
});
