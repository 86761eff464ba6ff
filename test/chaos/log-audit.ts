import type { RegistryEvent, TopicNames } from '@modelreg/events';
import { DLQ_HEADERS } from '@modelreg/kafka';
import { OUTBOX_HEADERS } from '@modelreg/service-runtime';
import { POISON_MODEL_PREFIX, type PoisonRecord } from './poison-records';
import type { AcknowledgedRegistration, AcknowledgedReport } from './steady-load';

/** One record read back from the log; `event` is null when it does not decode. */
export interface LogRecord {
  topic: string;
  partition: number;
  offset: string;
  event: RegistryEvent | null;
  headers: Record<string, string>;
  /** When the broker appended it, ms. */
  timestamp: number;
}

export interface LogAuditInput {
  topics: TopicNames;
  /** Every record of lineage, gates, deployments and the dead-letter topic. */
  records: LogRecord[];
  registrations: AcknowledgedRegistration[];
  reports: AcknowledgedReport[];
  poison: PoisonRecord[];
  /** The load's models: their versions must be gapless. */
  models: string[];
  /** Consumer group of each topic role's consumers. */
  consumerGroups: Partial<Record<keyof TopicNames, string[]>>;
}

export interface LogAudit {
  acknowledged: { registrations: number; reports: number; events: number };
  /** Acknowledged events not on the log. */
  lost: string[];
  /** Events on the log more than once: type, id and producer, each extra copy listed once. */
  duplicated: string[];
  /**
   * Outbox rows appended more than once (by `modelreg-outbox` and `modelreg-outbox-id`), dead letters
   * included: relays of several instances must never both send a row.
   */
  duplicatedOutboxRows: string[];
  /** Per model: versions missing or recorded twice. */
  versionGaps: string[];
  /** Registered versions without exactly one automatic gate decision. */
  decisionsNotOnce: string[];
  /** Poison records not dead-lettered, with a reason, by the consumers they must be. */
  poisonNotDeadLettered: string[];
  /** Events a service appended about a poison record's model: bad input that got through. */
  poisonPropagated: string[];
  /** Per poison record, the reasons its dead letters give, by consumer group. */
  deadLetterReasons: Record<string, Record<string, string>>;
  /** Dead-letter records naming the same source record and consumer group more than once. */
  deadLetterRepeats: number;
}

/**
 * The invariants of the event log after the faults: every acknowledged write's events appear
 * exactly once, versions per model are 1..n, each version got one automatic decision, and every
 * poison record sits in the dead-letter topic with a reason. An undecodable record must be
 * dead-lettered by every group that consumes its topic; a decodable poison event by at least one
 * (a consumer that has no use for the poisoned field may apply it).
 */
export function auditLog(input: LogAuditInput): LogAudit {
  const { topics } = input;
  const events = input.records.filter((record) => record.topic !== topics.deadLetter && record.event !== null);
  const copies = new Map<string, { count: number; event: RegistryEvent; appended: number[] }>();
  for (const record of events) {
    const event = record.event as RegistryEvent;
    const id = event.data.envelope.eventId;
    const seen = copies.get(id);
    copies.set(id, { count: (seen?.count ?? 0) + 1, event, appended: [...(seen?.appended ?? []), record.timestamp] });
  }
  const onLog = (eventId: string) => copies.get(eventId)?.count ?? 0;

  const lost: string[] = [];
  for (const registration of input.registrations) {
    if (onLog(registration.eventId) === 0)
      lost.push(
        `RunRegistered ${registration.eventId} (${registration.modelName} v${registration.modelVersion}, ${registration.trainingRunId})`,
      );
  }
  let reportEvents = 0;
  for (const report of input.reports) {
    for (const event of report.events) {
      reportEvents += 1;
      if (onLog(event.eventId) === 0) lost.push(`${event.type} ${event.eventId} (report ${report.reportId})`);
    }
  }
  const duplicated = [...copies.entries()]
    .filter(([, { count }]) => count > 1)
    .flatMap(([id, { count, event, appended }]) =>
      Array.from(
        { length: count - 1 },
        () =>
          `${event.type} ${id} by ${event.data.envelope.producer}, ` +
          `appended at ${appended.map((ms) => new Date(ms).toISOString()).join(' and ')}`,
      ),
    );

  const rows = new Map<string, number>();
  for (const record of input.records) {
    const outbox = record.headers[OUTBOX_HEADERS.outbox];
    const id = record.headers[OUTBOX_HEADERS.id];
    if (outbox && id) rows.set(`${outbox} row ${id}`, (rows.get(`${outbox} row ${id}`) ?? 0) + 1);
  }
  const duplicatedOutboxRows = [...rows.entries()]
    .filter(([, count]) => count > 1)
    .map(([row, count]) => `${row}: appended ${count} times`);

  const versionGaps: string[] = [];
  const decisionsNotOnce: string[] = [];
  const unique = uniqueById(events);
  for (const model of input.models) {
    const versions = unique
      .flatMap((e) => (e.type === 'RunRegistered' && e.data.modelName === model ? [e.data.modelVersion] : []))
      .sort((a, b) => a - b);
    const expected = Array.from({ length: versions.length }, (_, index) => index + 1);
    if (versions.join(',') !== expected.join(','))
      versionGaps.push(`${model}: versions ${summarize(versions)}, expected 1..${versions.length}`);
    for (const version of new Set(versions)) {
      const decisions = unique.filter(
        (e) =>
          e.type === 'GateEvaluated' &&
          e.data.modelName === model &&
          e.data.candidateVersion === version &&
          e.data.trigger === 'RunRegistered',
      ).length;
      if (decisions !== 1) decisionsNotOnce.push(`${model} v${version}: ${decisions} automatic decisions`);
    }
  }

  const letters = input.records.filter((record) => record.topic === topics.deadLetter);
  const key = (topic: string, partition: number | string, offset: string, group: string) => `${topic}/${partition}/${offset}/${group}`;
  const lettered = new Map<string, { count: number; reason: string }>();
  for (const letter of letters) {
    const reason = letter.headers[DLQ_HEADERS.reason];
    if (!reason) continue;
    const k = key(
      letter.headers[DLQ_HEADERS.sourceTopic] ?? '',
      letter.headers[DLQ_HEADERS.sourcePartition] ?? '',
      letter.headers[DLQ_HEADERS.sourceOffset] ?? '',
      letter.headers[DLQ_HEADERS.consumerGroup] ?? '',
    );
    lettered.set(k, { count: (lettered.get(k)?.count ?? 0) + 1, reason });
  }
  const poisonNotDeadLettered: string[] = [];
  const deadLetterReasons: LogAudit['deadLetterReasons'] = {};
  for (const poison of input.poison) {
    const groups = input.consumerGroups[poison.role] ?? [];
    const by = groups.filter((group) => lettered.has(key(poison.topic, poison.partition, poison.offset, group)));
    const missing = groups.filter((group) => !by.includes(group));
    const where = `${poison.kind} record on ${poison.topic} ${poison.partition}@${poison.offset} (${poison.what})`;
    deadLetterReasons[where] = Object.fromEntries(
      by.map((group) => [group, lettered.get(key(poison.topic, poison.partition, poison.offset, group))?.reason ?? '']),
    );
    if (poison.kind === 'undecodable' && missing.length > 0)
      poisonNotDeadLettered.push(`${where}: not dead-lettered by ${missing.join(', ')}`);
    if (poison.kind === 'decodable' && by.length === 0)
      poisonNotDeadLettered.push(`${where}: dead-lettered by none of ${groups.join(', ')}`);
  }
  const injected = new Set(input.poison.flatMap((poison) => (poison.eventId ? [poison.eventId] : [])));
  const poisonPropagated = unique
    .filter((event) => event.data.envelope.subject.modelName.startsWith(POISON_MODEL_PREFIX) && !injected.has(event.data.envelope.eventId))
    .map(
      (event) =>
        `${event.type} ${event.data.envelope.eventId} about ${event.data.envelope.subject.modelName}, by ${event.data.envelope.producer}`,
    );

  return {
    acknowledged: {
      registrations: input.registrations.length,
      reports: input.reports.length,
      events: input.registrations.length + reportEvents,
    },
    lost,
    duplicated,
    duplicatedOutboxRows,
    versionGaps,
    decisionsNotOnce,
    poisonNotDeadLettered,
    poisonPropagated,
    deadLetterReasons,
    deadLetterRepeats: [...lettered.values()].reduce((sum, { count }) => sum + count - 1, 0),
  };
}

function uniqueById(records: LogRecord[]): RegistryEvent[] {
  const seen = new Map<string, RegistryEvent>();
  for (const record of records) {
    const event = record.event as RegistryEvent;
    if (!seen.has(event.data.envelope.eventId)) seen.set(event.data.envelope.eventId, event);
  }
  return [...seen.values()];
}

/** "1-40,42,42,44-50": runs of consecutive versions, repeats spelled out. */
function summarize(versions: number[]): string {
  const parts: string[] = [];
  for (let index = 0; index < versions.length;) {
    let end = index;
    while (end + 1 < versions.length && (versions[end + 1] as number) === (versions[end] as number) + 1) end += 1;
    parts.push(end === index ? String(versions[index]) : `${versions[index]}-${versions[end]}`);
    index = end + 1;
  }
  return parts.join(',') || 'none';
}
