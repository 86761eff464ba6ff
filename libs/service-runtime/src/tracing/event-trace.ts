import {
  context,
  createContextKey,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Span,
} from '@opentelemetry/api';
import { HEADER_CAUSATION_ID, HEADER_EVENT_ID, HEADER_EVENT_TYPE, type ConsumedEvent, type OutgoingMessage } from '@modelreg/kafka';
import { RUNTIME_TRACER } from './tracer';

/** The consumer spans of the events `apply` has in hand, by event id: what an event it queues answers. */
const EVENTS_IN_HAND = createContextKey('modelreg events in hand');

/**
 * The messages with the W3C trace context they were queued in, in their headers (never in the
 * sealed Avro value). A message naming an event in hand as its cause (HEADER_CAUSATION_ID) joins
 * that event's trace, since a batch applies many events at once; any other joins the active span
 * (the HTTP request). Without an active trace, or with the SDK off, they pass unchanged.
 */
export function withTraceHeaders(messages: OutgoingMessage[]): OutgoingMessage[] {
  const active = context.active();
  const inHand = active.getValue(EVENTS_IN_HAND) as Map<string, Context> | undefined;
  return messages.map((message) => {
    const queuedIn = inHand?.get(message.headers[HEADER_CAUSATION_ID] ?? '') ?? active;
    if (!trace.getSpanContext(queuedIn)) return message;
    const headers = { ...message.headers };
    propagation.inject(queuedIn, headers);
    return { ...message, headers };
  });
}

/**
 * Sends the messages, each traced one in a producer span, child of the context it was queued in;
 * the record carries the producer span's context, so its consumers become its children.
 */
export async function sendTraced<T>(messages: OutgoingMessage[], send: (messages: OutgoingMessage[]) => Promise<T>): Promise<T> {
  const spans = messages.map((message) => {
    const queuedIn = propagation.extract(ROOT_CONTEXT, message.headers);
    if (!trace.getSpanContext(queuedIn)) return null;
    return RUNTIME_TRACER.startSpan(
      `send ${message.topic}`,
      {
        kind: SpanKind.PRODUCER,
        attributes: messageAttributes('send', message.topic, message.headers, { 'messaging.kafka.message.key': message.key }),
      },
      queuedIn,
    );
  });
  if (spans.every((span) => span === null)) return send(messages);
  const traced = messages.map((message, index) => {
    const span = spans[index];
    if (!span) return message;
    const headers = { ...message.headers };
    propagation.inject(trace.setSpan(ROOT_CONTEXT, span), headers);
    return { ...message, headers };
  });
  return endingSpans(spans, () => send(traced));
}

/**
 * Runs `apply` (the ledger transaction) on consumed events, each traced one in a consumer span,
 * child of the producer span that sent it. Events `apply` queues that answer one of them join its trace (withTraceHeaders);
 * with a single traced event in hand, its span is also the active one (for anything else traced).
 */
export function applyTraced<T>(events: ConsumedEvent[], consumerGroup: string, apply: () => Promise<T>): Promise<T> {
  const inHand = new Map<string, Context>();
  const spans: Span[] = [];
  for (const consumed of events) {
    if (!consumed.headers?.traceparent) continue;
    const sentIn = propagation.extract(ROOT_CONTEXT, consumed.headers);
    if (!trace.getSpanContext(sentIn)) continue;
    const { topic, partition, offset } = consumed.source;
    const span = RUNTIME_TRACER.startSpan(
      `process ${topic}`,
      {
        kind: SpanKind.CONSUMER,
        attributes: messageAttributes('process', topic, consumed.headers, {
          'messaging.destination.partition.id': String(partition),
          'messaging.kafka.offset': Number(offset),
          'messaging.consumer.group.name': consumerGroup,
        }),
      },
      sentIn,
    );
    spans.push(span);
    inHand.set(consumed.event.data.envelope.eventId, trace.setSpan(ROOT_CONTEXT, span));
  }
  if (spans.length === 0) return apply();
  const [only] = inHand.values();
  const base = inHand.size === 1 && only ? only : context.active();
  return endingSpans(spans, () => context.with(base.setValue(EVENTS_IN_HAND, inHand), apply));
}

/** Messaging semantic conventions (the incubating set, spelled out here rather than imported from an unstable entry point). */
function messageAttributes(operation: 'send' | 'process', topic: string, headers: Record<string, string>, more: Attributes): Attributes {
  return {
    'messaging.system': 'kafka',
    'messaging.operation.type': operation,
    'messaging.destination.name': topic,
    'messaging.message.id': headers[HEADER_EVENT_ID],
    'modelreg.event.type': headers[HEADER_EVENT_TYPE],
    ...more,
  };
}

async function endingSpans<T>(spans: Array<Span | null>, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    for (const span of spans) {
      span?.recordException(error as Error);
      span?.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
    }
    throw error;
  } finally {
    for (const span of spans) span?.end();
  }
}
