import { exampleRunRegistered, topicNames, type RegistryEvent } from '@modelreg/events';
import { DLQ_HEADERS } from '@modelreg/kafka';
import { auditLog, type LogAuditInput, type LogRecord } from './log-audit';
import type { PoisonRecord } from './poison-records';

const topics = topicNames('chaos');
let offset = 0;

function onLog(topic: string, event: RegistryEvent | null, headers: Record<string, string> = {}): LogRecord {
  offset += 1;
  return { topic, partition: 0, offset: String(offset), event, headers, timestamp: Date.UTC(2026, 10, 27, 12, 0, offset) };
}

const registered = (model: string, version: number): RegistryEvent => ({
  type: 'RunRegistered',
  data: exampleRunRegistered(model, version),
});
const decided = (model: string, version: number): RegistryEvent => ({
  type: 'GateEvaluated',
  data: {
    envelope: { ...exampleRunRegistered(model, version).envelope, eventId: `decision-${model}-${version}`, eventType: 'GateEvaluated' },
    modelName: model,
    candidateVersion: version,
    baselineVersion: null,
    baselineRule: 'none',
    policy: { policyId: 'chaos', policyVersion: 1, contentHash: 'h' },
    trigger: 'RunRegistered',
    checks: [],
    verdict: 'PASSED',
    eligibleForDeployment: true,
    baselines: [],
  },
});
const acknowledged = (model: string, version: number) => ({
  modelName: model,
  trainingRunId: `run-${version}`,
  modelVersion: version,
  eventId: exampleRunRegistered(model, version).envelope.eventId,
  at: 0,
});
const poison: PoisonRecord = { topic: topics.lineage, role: 'lineage', partition: 2, offset: '7', kind: 'undecodable', what: 'bytes' };
const deadLetter = (group: string, reason = 'undecodable: unknown schema fingerprint') =>
  onLog(topics.deadLetter, null, {
    [DLQ_HEADERS.reason]: reason,
    [DLQ_HEADERS.sourceTopic]: poison.topic,
    [DLQ_HEADERS.sourcePartition]: '2',
    [DLQ_HEADERS.sourceOffset]: '7',
    [DLQ_HEADERS.consumerGroup]: group,
  });

function audit(records: LogRecord[], overrides: Partial<LogAuditInput> = {}) {
  return auditLog({
    topics,
    records,
    registrations: [acknowledged('m', 1), acknowledged('m', 2)],
    reports: [],
    poison: [],
    models: ['m'],
    consumerGroups: { lineage: ['g1', 'g2'] },
    ...overrides,
  });
}

describe('the fault suite audit of the log', () => {
  const clean = () => [
    onLog(topics.lineage, registered('m', 1)),
    onLog(topics.lineage, registered('m', 2)),
    onLog(topics.gates, decided('m', 1)),
    onLog(topics.gates, decided('m', 2)),
  ];

  it('finds nothing wrong with a log holding every acknowledged write once', () => {
    expect(audit(clean())).toMatchObject({
      acknowledged: { registrations: 2, events: 2 },
      lost: [],
      duplicated: [],
      versionGaps: [],
      decisionsNotOnce: [],
      poisonNotDeadLettered: [],
    });
  });

  it('finds an outbox row appended twice, whatever the events inside', () => {
    const row = (id: string) => ({ 'modelreg-outbox': 'ingestion', 'modelreg-outbox-id': id });
    const records = [
      onLog(topics.lineage, registered('m', 1), row('41')),
      onLog(topics.lineage, registered('m', 2), row('42')),
      onLog(topics.deadLetter, null, row('42')),
    ];
    expect(audit(records).duplicatedOutboxRows).toEqual(['ingestion row 42: appended 2 times']);
    expect(audit(records.slice(0, 2)).duplicatedOutboxRows).toEqual([]);
  });

  it('counts an acknowledged registration missing from the log as lost, and the gap it leaves', () => {
    const result = audit([onLog(topics.lineage, registered('m', 2)), onLog(topics.gates, decided('m', 2))]);
    expect(result.lost).toEqual([expect.stringContaining('m v1, run-1')]);
    expect(result.versionGaps).toEqual(['m: versions 2, expected 1..1']);
  });

  it('counts a second copy of an event (a relay that appended twice) as duplicated, once per extra copy', () => {
    offset = 0;
    const result = audit([...clean(), onLog(topics.lineage, registered('m', 2)), onLog(topics.lineage, registered('m', 2))]);
    const copy =
      `RunRegistered ${exampleRunRegistered('m', 2).envelope.eventId} by test, ` +
      'appended at 2026-11-27T12:00:02.000Z and 2026-11-27T12:00:05.000Z and 2026-11-27T12:00:06.000Z';
    expect(result.duplicated).toEqual([copy, copy]);
    expect(result.versionGaps).toEqual([]);
  });

  it('finds a version recorded twice under two event ids, and a version decided twice', () => {
    const again: RegistryEvent = {
      type: 'RunRegistered',
      data: { ...exampleRunRegistered('m', 2), envelope: { ...exampleRunRegistered('m', 2).envelope, eventId: 'other' } },
    };
    const result = audit([
      ...clean(),
      onLog(topics.lineage, again),
      onLog(topics.gates, {
        ...decided('m', 1),
        data: { ...(decided('m', 1).data as object), envelope: { ...exampleRunRegistered('m', 1).envelope, eventId: 'd2' } },
      } as RegistryEvent),
    ]);
    expect(result.versionGaps).toEqual(['m: versions 1-2,2, expected 1..3']);
    expect(result.decisionsNotOnce).toEqual(['m v1: 2 automatic decisions']);
  });

  it('lists acknowledged report events that are not on the log', () => {
    const result = audit(clean(), {
      reports: [{ reportId: 'r1', kind: 'CANARY_STARTED', status: 201, events: [{ type: 'CanaryStarted', eventId: 'e-1' }], at: 0 }],
    });
    expect(result.lost).toEqual(['CanaryStarted e-1 (report r1)']);
    expect(result.acknowledged.events).toBe(3);
  });

  it('wants an undecodable record dead-lettered by every group consuming its topic, with a reason', () => {
    expect(audit([...clean(), deadLetter('g1'), deadLetter('g2')], { poison: [poison] }).poisonNotDeadLettered).toEqual([]);
    expect(audit([...clean(), deadLetter('g1')], { poison: [poison] }).poisonNotDeadLettered).toEqual([
      expect.stringMatching(/not dead-lettered by g2$/),
    ]);
    expect(audit([...clean(), deadLetter('g1'), deadLetter('g2', '')], { poison: [poison] }).poisonNotDeadLettered).toHaveLength(1);
  });

  it('wants a decodable poison event dead-lettered by at least one group, and counts repeated dead letters', () => {
    const decodable = { ...poison, kind: 'decodable' as const };
    expect(audit(clean(), { poison: [decodable] }).poisonNotDeadLettered).toEqual([
      expect.stringMatching(/dead-lettered by none of g1, g2$/),
    ]);
    const result = audit([...clean(), deadLetter('g2'), deadLetter('g2')], { poison: [decodable] });
    expect(result.poisonNotDeadLettered).toEqual([]);
    expect(result.deadLetterRepeats).toBe(1);
    expect(Object.values(result.deadLetterReasons)).toEqual([{ g2: 'undecodable: unknown schema fingerprint' }]);
  });

  it('finds events a service appended about a poison record, but not the poison event itself', () => {
    const injected = registered('chaos-poison-lineage', 1);
    const propagated = registered('chaos-poison-submission', 1);
    const result = audit([...clean(), onLog(topics.lineage, injected), onLog(topics.lineage, propagated)], {
      poison: [{ ...poison, kind: 'decodable', eventId: injected.data.envelope.eventId }],
    });
    expect(result.poisonPropagated).toEqual([`RunRegistered ${propagated.data.envelope.eventId} about chaos-poison-submission, by test`]);
  });
});
