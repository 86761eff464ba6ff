import { ConfigResourceTypes, type Admin, type Kafka } from 'kafkajs';
import { ConfigError } from '@modelreg/config';
import { retryWhileRetriable } from './errors';
import { RECORD_BATCH_HEADER_BYTES } from './event-size';

/** The largest record batch a topic accepts, and where that number comes from. */
export interface TopicMessageLimit {
  topic: string;
  bytes: number;
  source: 'max.message.bytes' | 'message.max.bytes';
}

/**
 * Each topic's max.message.bytes (the topic's own setting or the broker default it inherits); for a
 * topic that reports none, the smallest message.max.bytes of the brokers.
 */
export async function topicMessageLimits(kafka: Kafka, topics: string[]): Promise<TopicMessageLimit[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const described = await retryWhileRetriable(() =>
      admin.describeConfigs({
        includeSynonyms: false,
        resources: topics.map((name) => ({ type: ConfigResourceTypes.TOPIC, name, configNames: ['max.message.bytes'] })),
      }),
    );
    const limits: TopicMessageLimit[] = [];
    let brokerLimit: number | null = null;
    for (const topic of topics) {
      const resource = described.resources.find((item) => item.resourceName === topic && item.errorCode === 0);
      const value = resource?.configEntries.find((entry) => entry.configName === 'max.message.bytes')?.configValue;
      if (value) limits.push({ topic, bytes: Number(value), source: 'max.message.bytes' });
      else limits.push({ topic, bytes: (brokerLimit ??= await brokerMessageLimit(admin)), source: 'message.max.bytes' });
    }
    return limits;
  } finally {
    await admin.disconnect();
  }
}

/** The smallest message.max.bytes among the brokers of the cluster. */
export async function brokerMessageLimit(admin: Admin): Promise<number> {
  const { brokers } = await admin.describeCluster();
  const described = await admin.describeConfigs({
    includeSynonyms: false,
    resources: brokers.map((broker) => ({
      type: ConfigResourceTypes.BROKER,
      name: String(broker.nodeId),
      configNames: ['message.max.bytes'],
    })),
  });
  const values = described.resources.flatMap((resource) =>
    resource.configEntries.filter((entry) => entry.configName === 'message.max.bytes').map((entry) => Number(entry.configValue)),
  );
  if (values.length === 0) throw new Error('no broker reported message.max.bytes');
  return Math.min(...values);
}

/**
 * Stops a service at boot whose MAX_EVENT_BYTES the broker would refuse on a topic it produces to:
 * otherwise it would acknowledge requests whose events can never be appended.
 */
export function checkEventLimit(maxEventBytes: number, limits: TopicMessageLimit[]): void {
  for (const limit of limits) {
    const batchBytes = maxEventBytes + RECORD_BATCH_HEADER_BYTES;
    if (batchBytes > limit.bytes) {
      throw new ConfigError(
        'MAX_EVENT_BYTES',
        `is ${maxEventBytes} bytes (a batch of one such event is ${batchBytes} bytes), ` +
          `more than the ${limit.bytes} bytes topic ${limit.topic} accepts (${limit.source}); ` +
          `set MAX_EVENT_BYTES to at most ${limit.bytes - RECORD_BATCH_HEADER_BYTES} or raise ${limit.source}`,
      );
    }
  }
}
