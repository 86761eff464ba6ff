// The registry's ACLs for one topic prefix on any broker (docs/SECURITY.md, Kafka). Arguments:
// <prefix> [--print]. Creates them as the user of KAFKA_SASL_* (a super user), on KAFKA_BROKERS with
// KAFKA_TLS_*; with --print, prints the equivalent kafka-acls.sh commands instead and connects to nothing.
import { readKafkaSecurity, requiredString } from '@modelreg/config';
import { aclBindings, createKafkaClient, provisionAcls, type AclBinding } from '@modelreg/kafka';
import { createJsonLogger } from '@modelreg/logging';

async function main(): Promise<void> {
  const [prefix, flag] = process.argv.slice(2);
  if (!prefix || (flag !== undefined && flag !== '--print')) throw new Error('usage: kafka-acls.main.ts <prefix> [--print]');
  if (flag === '--print') {
    for (const binding of aclBindings(prefix)) process.stdout.write(`${kafkaAclsCommand(binding)}\n`);
    return;
  }
  const logger = createJsonLogger({ service: 'kafka-acls', level: 'error' });
  const kafka = createKafkaClient({
    brokers: requiredString(process.env, 'KAFKA_BROKERS').split(','),
    clientId: 'modelreg-acls',
    logger,
    security: readKafkaSecurity(process.env),
  });
  process.stdout.write(`${await provisionAcls(kafka, prefix)} ACLs for ${prefix}.*\n`);
}

/**
 * e.g. `kafka-acls.sh --bootstrap-server "$KAFKA" --command-config admin.properties --add --allow-principal
 * User:trainer --operation Write --topic modelreg.run-submissions.v1`.
 */
function kafkaAclsCommand(binding: AclBinding): string {
  const operation =
    binding.operation === 'DESCRIBE_CONFIGS' ? 'DescribeConfigs' : binding.operation.charAt(0) + binding.operation.slice(1).toLowerCase();
  const prefixed = binding.pattern === 'PREFIXED' ? ' --resource-pattern-type prefixed' : '';
  const resource = `--${binding.resourceType.toLowerCase()} ${binding.resourceName}${prefixed}`;
  return (
    `kafka-acls.sh --bootstrap-server "$KAFKA" --command-config admin.properties ` +
    `--add --allow-principal ${binding.principal} --operation ${operation} ${resource}`
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
