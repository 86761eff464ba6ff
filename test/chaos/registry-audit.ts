import type { Kafka } from 'kafkajs';
import type { EventCodec } from '@modelreg/events';
import { auditLog, type LogAudit } from './log-audit';
import { groupsByRole, readTopics } from './log-probes';
import type { PoisonRecord } from './poison-records';
import type { PrivateStack } from './private-stack';
import { readModelVersions } from './recovery-probes';
import type { SteadyLoad } from './steady-load';

/** The log audited against what the load had acknowledged, and the models whose read model misses versions. */
export interface RegistryAudit {
  audit: LogAudit;
  /** `model: N in projections, M on the log` for each model whose read model holds other than every version on the log. */
  readModelShortfall: string[];
}

/**
 * What both suites check once the registry has settled: reads the four topics into an audit of the
 * acknowledged writes, and counts each model's versions in the read model against the log.
 */
export async function auditRegistry(input: {
  stack: PrivateStack;
  kafka: Kafka;
  codec: EventCodec;
  load: SteadyLoad;
  models: string[];
  poison: PoisonRecord[];
  topicPrefix: string;
}): Promise<RegistryAudit> {
  const { stack, models } = input;
  const records = await readTopics(input.kafka, input.codec, [
    stack.topics.lineage,
    stack.topics.gates,
    stack.topics.deployments,
    stack.topics.deadLetter,
  ]);
  const audit = auditLog({
    topics: stack.topics,
    records,
    registrations: input.load.registrations,
    reports: input.load.reports,
    poison: input.poison,
    models,
    consumerGroups: groupsByRole(input.topicPrefix),
  });
  const readModel = await readModelVersions(stack.databaseUrl, models);
  const onLog = (model: string) =>
    new Set(
      records.flatMap((r) => (r.event?.type === 'RunRegistered' && r.event.data.modelName === model ? [r.event.data.modelVersion] : [])),
    ).size;
  const readModelShortfall = models.flatMap((model) => {
    const logged = onLog(model);
    return readModel.get(model) === logged ? [] : [`${model}: ${readModel.get(model) ?? 0} in projections, ${logged} on the log`];
  });
  return { audit, readModelShortfall };
}
