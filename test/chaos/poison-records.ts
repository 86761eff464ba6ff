import { randomBytes, randomUUID } from 'node:crypto';
import {
  buildEnvelope,
  exampleRunRegistered,
  type EventCodec,
  type RegistryEvent,
  type TopicNames,
  type TopicRole,
} from '@modelreg/events';
import type { Kafka } from 'kafkajs';

/** A record the suite put on a consumed topic that no consumer can apply. */
export interface PoisonRecord {
  topic: string;
  role: TopicRole;
  partition: number;
  offset: string;
  kind: 'undecodable' | 'decodable';
  what: string;
  /** The event id of a decodable poison event. */
  eventId?: string;
}

/** Every poison event is about a model named so; no service may turn one into events of its own. */
export const POISON_MODEL_PREFIX = 'chaos-poison-';

/** The topics each service consumes (its group is `<prefix>.<service>`); what a poison record must get past. */
export const CONSUMED_TOPICS: Readonly<Record<string, TopicRole[]>> = {
  ingestion: ['runSubmissions'],
  'gate-validator': ['lineage', 'deployments'],
  'deployment-tracker': ['lineage', 'gates', 'deploymentReports'],
  projections: ['lineage', 'gates', 'deployments'],
};

const NUL = '\u0000';

/** Valid Avro of a valid event type whose strings carry U+0000, which Postgres text and jsonb refuse. */
function decodablePoison(
  role: TopicRole,
  artifact: { sha256: string; sizeBytes: number },
): { key: string; event: RegistryEvent; what: string } {
  const now = Date.now();
  const envelope = (type: string, modelName: string, modelVersion: number | null) =>
    buildEnvelope(type, {
      eventId: randomUUID(),
      occurredAt: now,
      producer: 'chaos',
      correlationId: randomUUID(),
      modelName,
      modelVersion,
    });
  switch (role) {
    case 'lineage': {
      const base = exampleRunRegistered(`${POISON_MODEL_PREFIX}lineage`, 1);
      const data = {
        ...base,
        envelope: { ...base.envelope, eventId: randomUUID() },
        labels: { [`team${NUL}`]: 'x' },
        metrics: { ...base.metrics, overall: { [`auc${NUL}`]: 0.9 } },
      };
      return {
        key: data.modelName,
        event: { type: 'RunRegistered', data },
        what: 'RunRegistered with U+0000 in a label key and a metric name',
      };
    }
    case 'runSubmissions': {
      const base = exampleRunRegistered(`${POISON_MODEL_PREFIX}submission`, 1);
      const { modelVersion: _version, registeredAt: _at, ...submitted } = base;
      const data = {
        ...submitted,
        envelope: envelope('RunSubmitted', `${POISON_MODEL_PREFIX}submission`, null),
        trainingRunId: `poison-${now}`,
        artifacts: [{ target: 'server', format: 'SavedModel', sizeBytes: artifact.sizeBytes, sha256: artifact.sha256 }],
        environment: { ...base.environment, fingerprint: null },
        labels: { [`team${NUL}`]: 'x' },
      };
      return {
        key: data.modelName,
        event: { type: 'RunSubmitted', data },
        what: 'RunSubmitted (stored artifact) with U+0000 in a label key',
      };
    }
    case 'gates': {
      const modelName = `${POISON_MODEL_PREFIX}gates`;
      const check = {
        checkId: `p99${NUL}`,
        kind: 'operational',
        metric: 'p99_latency_ms',
        slice: null,
        group: null,
        target: 'server',
        observed: 42,
        baseline: null,
        threshold: 100,
        comparator: 'below',
        tolerance: 0,
        outcome: 'PASSED' as const,
        reason: null,
        explanation: `fine${NUL}`,
      };
      const data = {
        envelope: envelope('GateEvaluated', modelName, 1),
        modelName,
        candidateVersion: 1,
        baselineVersion: null,
        baselineRule: 'none',
        policy: { policyId: 'default', policyVersion: 1, contentHash: 'a'.repeat(64) },
        trigger: 'RunRegistered',
        checks: [check],
        verdict: 'PASSED' as const,
        eligibleForDeployment: true,
        baselines: [
          {
            placement: null,
            baselineVersion: null,
            baselineRule: 'none',
            checks: [check],
            verdict: 'PASSED' as const,
            eligibleForDeployment: true,
          },
        ],
      };
      return { key: modelName, event: { type: 'GateEvaluated', data }, what: 'GateEvaluated with U+0000 in a check id and explanation' };
    }
    case 'deployments': {
      const modelName = `${POISON_MODEL_PREFIX}deployments`;
      const data = {
        envelope: envelope('RolloutCompleted', modelName, 1),
        deploymentId: `d${NUL}1`,
        modelName,
        service: 'scoring',
        surface: `check${NUL}out`,
        environment: 'production',
        modelVersion: 1,
        previousVersion: null,
        completedAt: now,
      };
      return {
        key: modelName,
        event: { type: 'RolloutCompleted', data },
        what: 'RolloutCompleted with U+0000 in the deployment id and surface',
      };
    }
    case 'deploymentReports': {
      const body = {
        kind: 'DEPLOYMENT_RETIRED',
        reportId: `poison-${now}`,
        reportedAt: new Date(now).toISOString(),
        deploymentId: `${POISON_MODEL_PREFIX}d1`,
        reason: `bad${NUL}reason`,
      };
      const data = {
        envelope: envelope('DeploymentReportSubmitted', `${POISON_MODEL_PREFIX}reports`, null),
        reportId: body.reportId,
        kind: 'DEPLOYMENT_RETIRED' as const,
        reportedAt: now,
        body: JSON.stringify(body),
      };
      return {
        key: `${POISON_MODEL_PREFIX}reports`,
        event: { type: 'DeploymentReportSubmitted', data },
        what: 'DeploymentReportSubmitted with U+0000 in its reason',
      };
    }
    case 'deadLetter':
      throw new Error('the dead-letter topic is not consumed');
    default: {
      const unreachable: never = role;
      throw new Error(`unhandled ${String(unreachable)}`);
    }
  }
}

/**
 * Produces, onto every consumed topic, one undecodable record (the single-object marker with an
 * unknown fingerprint) and one decodable poison event; answers where each landed.
 */
export async function injectPoison(
  kafka: Kafka,
  codec: EventCodec,
  topics: TopicNames,
  artifact: { sha256: string; sizeBytes: number },
): Promise<PoisonRecord[]> {
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const records: PoisonRecord[] = [];
  try {
    const roles: TopicRole[] = ['runSubmissions', 'lineage', 'gates', 'deployments', 'deploymentReports'];
    for (const role of roles) {
      const topic = topics[role];
      const poison = decodablePoison(role, artifact);
      const undecodable = Buffer.concat([Buffer.from([0xc3, 0x01]), randomBytes(8), Buffer.from('chaos poison')]);
      for (const [kind, key, value, what, eventId] of [
        ['undecodable', `${POISON_MODEL_PREFIX}${role}`, undecodable, 'single-object marker, unknown fingerprint', undefined],
        ['decodable', poison.key, codec.encode(poison.event), poison.what, poison.event.data.envelope.eventId],
      ] as const) {
        const [landed] = await producer.send({ topic, acks: -1, messages: [{ key, value }] });
        records.push({
          topic,
          role,
          partition: landed?.partition ?? -1,
          offset: landed?.baseOffset ?? '-1',
          kind,
          what,
          ...(eventId ? { eventId } : {}),
        });
      }
    }
  } finally {
    await producer.disconnect();
  }
  return records;
}
