import type { AclEntry, Kafka } from 'kafkajs';
import { aclBindings, KAFKA_PRINCIPALS, type AclBinding, type KafkaPrincipal } from './kafka-principals';

/**
 * Creates the ACLs of `principals` for the topics of `prefix` (aclBindings), as a super user.
 * Creating an ACL that exists changes nothing, so this runs at every stack start and for every
 * test's prefix. Resolves to the number of rules sent.
 */
export async function provisionAcls(
  kafka: Kafka,
  prefix: string,
  principals: readonly KafkaPrincipal[] = KAFKA_PRINCIPALS,
): Promise<number> {
  const bindings = aclBindings(prefix, principals);
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createAcls({ acl: bindings.map(toKafkajs) });
    return bindings.length;
  } finally {
    await admin.disconnect();
  }
}

/**
 * Removes the ACLs provisionAcls created for `prefix` (for throwaway prefixes: a test's). The
 * rules shared by every prefix (the log reader's groups) stay.
 */
export async function removeAcls(kafka: Kafka, prefix: string, principals: readonly KafkaPrincipal[] = KAFKA_PRINCIPALS): Promise<void> {
  const own = aclBindings(prefix, principals).filter((binding) => binding.resourceName.startsWith(`${prefix}.`));
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.deleteAcls({ filters: own.map(toKafkajs) });
  } finally {
    await admin.disconnect();
  }
}

function toKafkajs(binding: AclBinding): AclEntry {
  // kafkajs is loaded only when the bus is used (see kafka-client.ts).
  const { AclResourceTypes, ResourcePatternTypes, AclOperationTypes, AclPermissionTypes } = require('kafkajs') as typeof import('kafkajs');
  return {
    principal: binding.principal,
    host: '*',
    resourceType: AclResourceTypes[binding.resourceType],
    resourceName: binding.resourceName,
    resourcePatternType: ResourcePatternTypes[binding.pattern],
    operation: AclOperationTypes[binding.operation],
    permissionType: AclPermissionTypes.ALLOW,
  };
}
