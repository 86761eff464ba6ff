import type { Kafka, Producer } from 'kafkajs';
import { KafkaUnavailableError } from './errors';
import type { OutgoingMessage } from './outgoing-message';

/** Appends records to the log. Resolves only once every replica in sync has them (acks=all). */
export interface EventPublisher {
  publish(messages: OutgoingMessage[]): Promise<void>;
  close(): Promise<void>;
}

/** Idempotent kafkajs producer: broker-side dedup of retried sends, acks from all in-sync replicas. */
export class KafkaEventPublisher implements EventPublisher {
  private connected: Promise<void> | null = null;
  private readonly producer: Producer;

  constructor(kafka: Kafka) {
    // The Java client's murmur2 partitioner, so keys land on the same partitions whoever produces them.
    const { Partitioners } = require('kafkajs') as typeof import('kafkajs');
    this.producer = kafka.producer({ idempotent: true, maxInFlightRequests: 5, allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });
  }

  async publish(messages: OutgoingMessage[]): Promise<void> {
    if (messages.length === 0) return;
    try {
      this.connected ??= this.producer.connect();
      await this.connected;
      await this.producer.sendBatch({ acks: -1, topicMessages: groupByTopic(messages) });
    } catch (error) {
      this.connected = null;
      throw new KafkaUnavailableError(`publishing ${messages.length} message(s) failed: ${(error as Error).message}`, error);
    }
  }

  async close(): Promise<void> {
    if (this.connected) await this.producer.disconnect();
    this.connected = null;
  }
}

function groupByTopic(messages: OutgoingMessage[]): Array<{ topic: string; messages: Array<{ key: string; value: Buffer; headers: Record<string, string> }> }> {
  const byTopic = new Map<string, Array<{ key: string; value: Buffer; headers: Record<string, string> }>>();
  for (const message of messages) {
    const list = byTopic.get(message.topic) ?? [];
    list.push({ key: message.key, value: message.value, headers: message.headers });
    byTopic.set(message.topic, list);
  }
  return [...byTopic.entries()].map(([topic, list]) => ({ topic, messages: list }));
}
