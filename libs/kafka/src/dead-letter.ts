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
