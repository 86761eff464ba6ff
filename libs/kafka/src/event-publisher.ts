import type { Admin, Kafka, Producer } from 'kafkajs';
import { KafkaRecordRefusedError, KafkaUnavailableError } from './errors';
import type { OutgoingMessage } from './outgoing-message';
import { publishRefusal } from './publish-refusal';

/** Where the records of one send landed in one partition: they start at `baseOffset`. */
export interface AppendedBatch {
  topic: string;
  partition: number;
  baseOffset: string;
}

/**
 * Appends records to the log. Resolves only once every replica in sync has them (acks=all).
 * Rejects with `KafkaRecordRefusedError` when the broker refused a record for good (retrying cannot
 * help), otherwise with `KafkaUnavailableError`. A rejected send of several partitions may have
 * reached some of them.
 */
export interface EventPublisher {
  publish(messages: OutgoingMessage[]): Promise<AppendedBatch[]>;
  close(): Promise<void>;
}

/** Idempotent kafkajs producer: broker-side dedup of retried sends, acks from all in-sync replicas. */
export class KafkaEventPublisher implements EventPublisher {
  private connected: Promise<void> | null = null;
  private producer: Producer;
  private admin: { client: Admin; connected: Promise<void> } | null = null;
  private readonly knownTopics = new Set<string>();

  constructor(private readonly kafka: Kafka) {
    this.producer = this.newProducer();
  }

  async publish(messages: OutgoingMessage[]): Promise<AppendedBatch[]> {
    if (messages.length === 0) return [];
    await this.refuseUnknownTopics(messages);
    try {
      this.connected ??= this.producer.connect();
      await this.connected;
      const appended = await this.producer.sendBatch({ acks: -1, topicMessages: groupByTopic(messages) });
      return appended.map((batch) => ({
        topic: batch.topicName,
        partition: batch.partition,
        baseOffset: batch.baseOffset ?? batch.offset ?? '0',
      }));
    } catch (error) {
      await this.endSession();
      const refusal = publishRefusal(error);
      if (refusal) throw new KafkaRecordRefusedError(refusal, error);
      throw new KafkaUnavailableError(`publishing ${messages.length} message(s) failed: ${(error as Error).message}`, error);
    }
  }

  async close(): Promise<void> {
    if (this.connected) await this.producer.disconnect();
    this.connected = null;
    if (this.admin) await this.admin.client.disconnect().catch(() => undefined);
    this.admin = null;
  }

  private newProducer(): Producer {
    // The Java client's murmur2 partitioner, so keys land on the same partitions whoever produces them.
    const { Partitioners } = require('kafkajs') as typeof import('kafkajs');
    return this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 5,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
  }

  /**
   * A failed send ends the idempotent session. When a send reaches some partitions and fails on
   * others, kafkajs rolls back the sequence numbers of all of them; the broker would then take the
   * next batch on a partition it did append to as a retry of the old one and drop it. A new
   * producer gets a new producer id, and kafkajs forgets the topics it was asked for.
   */
  private async endSession(): Promise<void> {
    const failed = this.producer;
    this.producer = this.newProducer();
    this.connected = null;
    await failed.disconnect().catch(() => undefined);
  }

  /**
   * A record for a topic that does not exist is refused at once: kafkajs would retry its metadata
   * for minutes and then keep asking for the missing topic on every later send.
   */
  private async refuseUnknownTopics(messages: OutgoingMessage[]): Promise<void> {
    const unknown = [...new Set(messages.map((message) => message.topic))].filter((topic) => !this.knownTopics.has(topic));
    if (unknown.length === 0) return;
    let existing: string[];
    try {
      if (!this.admin) {
        const client = this.kafka.admin();
        this.admin = { client, connected: client.connect() };
      }
      await this.admin.connected;
      existing = await this.admin.client.listTopics();
    } catch (error) {
      const admin = this.admin;
      this.admin = null;
      await admin?.client.disconnect().catch(() => undefined);
      throw new KafkaUnavailableError(`listing topics failed: ${(error as Error).message}`, error);
    }
    for (const topic of existing) this.knownTopics.add(topic);
    const missing = unknown.filter((topic) => !this.knownTopics.has(topic));
    if (missing.length > 0) throw new KafkaRecordRefusedError(`UNKNOWN_TOPIC: topic ${missing.join(', ')} does not exist`);
  }
}

function groupByTopic(
  messages: OutgoingMessage[],
): Array<{ topic: string; messages: Array<{ key: string; value: Buffer; headers: Record<string, string> }> }> {
  const byTopic = new Map<string, Array<{ key: string; value: Buffer; headers: Record<string, string> }>>();
  for (const message of messages) {
    const list = byTopic.get(message.topic) ?? [];
    list.push({ key: message.key, value: message.value, headers: message.headers });
    byTopic.set(message.topic, list);
  }
  return [...byTopic.entries()].map(([topic, list]) => ({ topic, messages: list }));
}
