import type { KafkaConfig, Kafka, logCreator } from 'kafkajs';
import { kafkaClientSecurity, type KafkaSecuritySettings } from '@modelreg/config';
import type { Logger } from '@modelreg/logging';

export interface KafkaConnectionOptions {
  brokers: string[];
  clientId: string;
  logger: Logger;
  /** SASL/SCRAM and TLS; absent or null is PLAINTEXT without authentication. */
  security?: KafkaSecuritySettings | null;
}

/**
 * Builds the kafkajs client. kafkajs is loaded only here, when a service first needs the bus,
 * so the client library can change without touching services.
 */
export function createKafkaClient(options: KafkaConnectionOptions): Kafka {
  const kafkajs = require('kafkajs') as typeof import('kafkajs');
  return new kafkajs.Kafka({
    clientId: options.clientId,
    brokers: options.brokers,
    connectionTimeout: 3000,
    requestTimeout: 30000,
    retry: { initialRetryTime: 200, retries: 8 },
    logLevel: kafkajs.logLevel.WARN,
    logCreator: kafkaLogCreator(options.logger),
    ...securityOptions(options.security ?? null),
  });
}

/** kafkajs `sasl` and `ssl` options from our settings. */
export function securityOptions(security: KafkaSecuritySettings | null): Pick<KafkaConfig, 'sasl' | 'ssl'> {
  return kafkaClientSecurity(security) as Pick<KafkaConfig, 'sasl' | 'ssl'>;
}

function kafkaLogCreator(logger: Logger): logCreator {
  return () =>
    ({ namespace, level, log }) => {
      const { message, ...fields } = log;
      const entry = { component: `kafkajs.${namespace}`, ...fields };
      // kafkajs levels: 1 error, 2 warn, 4 info, 5 debug
      if (level <= 1) logger.error(message, entry);
      else if (level === 2) logger.warn(message, entry);
      else logger.debug(message, entry);
    };
}
