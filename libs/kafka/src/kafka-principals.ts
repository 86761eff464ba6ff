import { topicNames, type TopicRole } from '@modelreg/events';

/**
 * The Kafka users of the registry: one per service, `trainer` for training clusters (they submit
 * runs) and `controller` for deployment controllers (they report deployments and follow
 * promotions). Every other user is refused (the broker runs with allow.everyone.if.no.acl.found=false)
 * unless it is a super user.
 */
export const KAFKA_PRINCIPALS = ['ingestion', 'gate-validator', 'deployment-tracker', 'projections', 'trainer', 'controller'] as const;
export type KafkaPrincipal = (typeof KAFKA_PRINCIPALS)[number];

/** What a principal may do with one topic prefix's topics, and which consumer groups are its own. */
export interface PrincipalGrant {
  /** Topics it appends to: WRITE (which implies DESCRIBE and, since Kafka 3, the idempotent producer). */
  writes: readonly TopicRole[];
  /** Topics it reads: its consumer's, and a service's own outbox topics, which the outbox reconciler reads back. */
  reads: readonly TopicRole[];
  /** Consumer groups `<prefix>.<name>` and every group starting so (projections' rebuild groups). */
  group: string | null;
  /** A service: DESCRIBE and DESCRIBE_CONFIGS on every topic of the prefix (boot checks they exist and their size limits). */
  service: boolean;
}

const SERVICE_OUTBOX = ['deadLetter'] as const;

export const PRINCIPAL_GRANTS: Readonly<Record<KafkaPrincipal, PrincipalGrant>> = {
  ingestion: {
    writes: ['lineage', ...SERVICE_OUTBOX],
    reads: ['runSubmissions', 'lineage', ...SERVICE_OUTBOX],
    group: 'ingestion',
    service: true,
  },
  'gate-validator': {
    writes: ['gates', ...SERVICE_OUTBOX],
    reads: ['lineage', 'deployments', 'gates', ...SERVICE_OUTBOX],
    group: 'gate-validator',
    service: true,
  },
  'deployment-tracker': {
    writes: ['deployments', ...SERVICE_OUTBOX],
    reads: ['lineage', 'gates', 'deploymentReports', 'deployments', ...SERVICE_OUTBOX],
    group: 'deployment-tracker',
    service: true,
  },
  projections: {
    writes: [...SERVICE_OUTBOX],
    reads: ['lineage', 'gates', 'deployments', ...SERVICE_OUTBOX],
    group: 'projections',
    service: true,
  },
  trainer: { writes: ['runSubmissions'], reads: [], group: null, service: false },
  controller: { writes: ['deploymentReports'], reads: ['deployments'], group: 'controller', service: false },
};

/** The throwaway groups of readLogRanges (`modelreg-log-reader-<uuid>`), which it deletes when done. */
export const LOG_READER_GROUP_PREFIX = 'modelreg-log-reader-';

export type AclOperation = 'READ' | 'WRITE' | 'DESCRIBE' | 'DESCRIBE_CONFIGS' | 'DELETE';

/** One ALLOW rule, in the broker's terms. */
export interface AclBinding {
  principal: string;
  resourceType: 'TOPIC' | 'GROUP';
  pattern: 'LITERAL' | 'PREFIXED';
  resourceName: string;
  operation: AclOperation;
}

/** The ALLOW rules that give `principals` what PRINCIPAL_GRANTS says, on the topics of `prefix`. */
export function aclBindings(prefix: string, principals: readonly KafkaPrincipal[] = KAFKA_PRINCIPALS): AclBinding[] {
  const topics = topicNames(prefix);
  return principals.flatMap((name) => {
    const grant = PRINCIPAL_GRANTS[name];
    const principal = `User:${name}`;
    const topic = (role: TopicRole, operation: AclOperation): AclBinding => ({
      principal,
      resourceType: 'TOPIC',
      pattern: 'LITERAL',
      resourceName: topics[role],
      operation,
    });
    const group = (resourceName: string, operation: AclOperation): AclBinding => ({
      principal,
      resourceType: 'GROUP',
      pattern: 'PREFIXED',
      resourceName,
      operation,
    });
    const everyTopic = Object.keys(topics) as TopicRole[];
    return [
      ...grant.writes.map((role) => topic(role, 'WRITE')),
      ...grant.reads.map((role) => topic(role, 'READ')),
      ...(grant.service ? everyTopic.flatMap((role) => [topic(role, 'DESCRIBE'), topic(role, 'DESCRIBE_CONFIGS')]) : []),
      ...(grant.group ? (['READ', 'DESCRIBE', 'DELETE'] as const).map((operation) => group(`${prefix}.${grant.group}`, operation)) : []),
      ...(grant.service ? (['READ', 'DELETE'] as const).map((operation) => group(LOG_READER_GROUP_PREFIX, operation)) : []),
    ];
  });
}
