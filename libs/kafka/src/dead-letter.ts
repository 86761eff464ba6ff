import type { OutgoingMessage } from './outgoing-message';

/** Where a rejected record came from; travels in the dead-letter record's headers. */
export interface SourceCoordinates {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: Buffer | null;
}

export interface DeadLetter {
  source: SourceCoordinates;
  reason: string;
}

export const DLQ_HEADERS = {
  reason: 'modelreg-dlq-reason',
  sourceTopic: 'modelreg-dlq-source-topic',
  sourcePartition: 'modelreg-dlq-source-partition',
  sourceOffset: 'modelreg-dlq-source-offset',
  consumerGroup: 'modelreg-dlq-consumer-group',
  /** On a record the broker refused whose bytes the dead-letter topic could not take either: their size. */
  sizeBytes: 'modelreg-dlq-size-bytes',
  /** Where those bytes are kept instead (`<schema>.outbox_rejected`, by outbox id). */
  keptIn: 'modelreg-dlq-kept-in',
} as const;

/** The original bytes, untouched, with the reason and source coordinates in headers: nothing is lost. */
export function deadLetterMessage(deadLetterTopic: string, consumerGroup: string, letter: DeadLetter): OutgoingMessage {
  return {
    topic: deadLetterTopic,
    key: withoutNul(letter.source.key ?? ''),
    value: letter.source.value ?? Buffer.alloc(0),
    headers: {
      [DLQ_HEADERS.reason]: withoutNul(letter.reason).slice(0, 2000),
      [DLQ_HEADERS.sourceTopic]: letter.source.topic,
      [DLQ_HEADERS.sourcePartition]: String(letter.source.partition),
      [DLQ_HEADERS.sourceOffset]: letter.source.offset,
      [DLQ_HEADERS.consumerGroup]: consumerGroup,
    },
  };
}

/** U+0000 written as the six characters `\u0000`: a dead letter must be storable as Postgres text and jsonb (outbox). */
function withoutNul(text: string): string {
  return text.replace(/\u0000/g, '\\u0000');
}

/**
 * A record the broker refused for good, moved aside: its own key, bytes and headers (event type
 * and id among them) with the reason and the topic it was meant for. When `keptIn` names where its
 * bytes are kept (they were too big for this topic too), the value is empty and the record carries
 * their size instead. It has no source partition or offset: it never reached the log.
 */
export function refusedRecordDeadLetter(
  deadLetterTopic: string,
  record: OutgoingMessage,
  reason: string,
  keptIn?: string,
): OutgoingMessage {
  const headers: Record<string, string> = {
    ...record.headers,
    [DLQ_HEADERS.reason]: reason.slice(0, 2000),
    [DLQ_HEADERS.sourceTopic]: record.topic,
  };
  if (!keptIn) return { topic: deadLetterTopic, key: record.key, value: record.value, headers };
  return {
    topic: deadLetterTopic,
    key: record.key,
    value: Buffer.alloc(0),
    headers: { ...headers, [DLQ_HEADERS.sizeBytes]: String(record.value.length), [DLQ_HEADERS.keptIn]: keptIn },
  };
}
