import { buildEnvelope, exampleRunRegistered, type GateEvaluated, type RegistryEvent, type RunRegistered } from '@modelreg/events';
import { DEFAULT_POLICY } from '@modelreg/gates';
import { inLogOrder, rebuildDecisions, type LoggedEvent } from './gate-rebuild';
import { decideOnRegistration, foldGateEvent, initialGateValidatorState } from './gate-validator-state';

const MODEL = 'fraud-model';
const where = { modelName: MODEL, service: 'scoring', environment: 'production' };
let clock = Date.UTC(2024, 0, 1);

function logged(event: RegistryEvent, topic: string): LoggedEvent {
  clock += 1000;
  return { event, topic, partition: 0, offset: String(clock), timestamp: clock };
}
function registered(version: number, auc: number): LoggedEvent {
  const run = exampleRunRegistered(MODEL, version);
  return logged(
    { type: 'RunRegistered', data: { ...run, metrics: { ...run.metrics, overall: { ...run.metrics.overall, auc } } } },
    'lineage',
  );
}
function deployed(deploymentId: string, surface: string, modelVersion: number): LoggedEvent[] {
  const envelope = (type: 'CanaryStarted' | 'RolloutCompleted') =>
    buildEnvelope(type, {
      eventId: `${deploymentId}-${type}`,
      occurredAt: clock,
      producer: 't',
      correlationId: 'c',
      modelName: MODEL,
      modelVersion,
    });
  return [
    logged(
      {
        type: 'CanaryStarted',
        data: {
          envelope: envelope('CanaryStarted'),
          deploymentId,
          ...where,
          surface,
          modelVersion,
          trafficPercent: 10,
          baselineVersion: null,
          startedAt: clock,
        },
      },
      'deployments',
    ),
    logged(
      {
        type: 'RolloutCompleted',
        data: {
          envelope: envelope('RolloutCompleted'),
          deploymentId,
          ...where,
          surface,
          modelVersion,
          previousVersion: null,
          completedAt: clock,
        },
      },
      'deployments',
    ),
  ];
}

/** The default policy with only its AUC improvement check, published as default v2. */
const AUC_ONLY = { ...DEFAULT_POLICY, version: 2, checks: DEFAULT_POLICY.checks.filter((check) => check.id === 'auc-improvement') };
function published(policy: typeof DEFAULT_POLICY): LoggedEvent {
  const envelope = buildEnvelope('GatePolicyPublished', {
    eventId: `policy-${policy.version}`,
    occurredAt: clock,
    producer: 't',
    correlationId: 'c',
    modelName: '@policy:default',
  });
  return logged(
    {
      type: 'GatePolicyPublished',
      data: {
        envelope,
        policyId: 'default',
        policyVersion: policy.version,
        contentHash: 'h',
        modelPatterns: ['*'],
        document: JSON.stringify(policy),
        publishedBy: null,
      },
    },
    'gates',
  );
}

/** What the live service does: every event folded in the order applied, each registration decided and its decision folded in. */
function liveDecisions(history: LoggedEvent[]): GateEvaluated[] {
  let state = initialGateValidatorState(MODEL);
  const decisions: GateEvaluated[] = [];
  for (const { event } of history) {
    state = foldGateEvent(state, event);
    if (event.type !== 'RunRegistered') continue;
    const decision = decideOnRegistration(state, event.data as RunRegistered, AUC_ONLY);
    if (!decision.ok) continue;
    decisions.push(decision.event);
    state = foldGateEvent(state, { type: 'GateEvaluated', data: decision.event });
  }
  return decisions;
}

describe('rebuilding the gate from the log', () => {
  const history = [
    published(AUC_ONLY),
    registered(1, 0.9),
    registered(2, 0.91),
    registered(3, 0.92),
    ...deployed('a', 'checkout', 2),
    ...deployed('b', 'login', 3),
    registered(4, 0.924),
  ];

  it('reproduces the live decisions exactly, one baseline per serving placement', () => {
    const live = liveDecisions(history);
    const onLog = live.map((decision) => logged({ type: 'GateEvaluated', data: decision }, 'gates'));
    const rebuilt = rebuildDecisions([...onLog, ...history].reverse());
    expect(JSON.stringify(rebuilt)).toBe(JSON.stringify(live));
    expect(rebuilt.at(-1)?.baselines.map((b) => [b.placement?.surface, b.baselineVersion, b.verdict])).toEqual([
      ['checkout', 2, 'PASSED'],
      ['login', 3, 'FAILED'],
    ]);
  });

  it('folds re-evaluations and policies from the log, and ignores a redelivered event', () => {
    const policy2 = published(AUC_ONLY);
    const v1 = registered(1, 0.9);
    const first = rebuildDecisions([policy2, v1])[0] as GateEvaluated;
    expect(first.verdict).toBe('PASSED');
    const v2 = registered(2, 0.91);
    const failedAgain = logged(
      {
        type: 'GateEvaluated',
        data: { ...first, envelope: { ...first.envelope, eventId: 're-1' }, trigger: 'ReEvaluationRequested', verdict: 'FAILED' },
      },
      'gates',
    );
    const policy3 = published({ ...AUC_ONLY, version: 3 });
    const v3 = registered(3, 0.92);
    const rebuilt = rebuildDecisions([v3, policy3, failedAgain, v2, v1, policy2, v3]);
    expect(rebuilt.map((d) => [d.candidateVersion, d.policy.policyVersion, d.baselineVersion, d.baselineRule])).toEqual([
      [1, 2, null, 'no-baseline'],
      [2, 2, 1, 'latest-passed'],
      [3, 3, 2, 'latest-passed'],
    ]);
    const v2Later = registered(2, 0.91);
    expect(rebuildDecisions([policy2, v1, v2Later]).at(-1)?.baselineVersion).toBe(1);
    expect(rebuildDecisions([policy2, v1, failedAgain, v2Later]).at(-1)?.baselineVersion).toBeNull();
  });

  it('orders events by the time the log appended them, then by topic and offset', () => {
    const a = { ...registered(1, 0.9), timestamp: 5, topic: 'lineage', offset: '9' };
    const b = { ...a, topic: 'deployments', offset: '1' };
    const c = { ...a, timestamp: 4, offset: '10' };
    expect(inLogOrder([a, b, c])).toEqual([c, b, a]);
  });
});
