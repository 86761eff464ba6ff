import type { EventCodec, EventPrincipal } from '@modelreg/events';
import { readAtCoordinates, type Kafka } from '@modelreg/kafka';
import type { Pool } from '@modelreg/postgres';

export interface AuditLine {
  topic: string;
  partition: number;
  offset: string;
  eventId: string;
  eventType: string;
  occurredAt: string;
  /** Who asked: the originating request's principal (null on events without one). */
  principal: EventPrincipal | null;
  /** The originating request's id. */
  requestId: string | null;
  /** The event as decoded from the log itself (not from the read models). */
  event: unknown;
  /** The record's value exactly as stored in Kafka (Avro single-object encoding), base64, when asked. */
  rawAvroBase64?: string;
}

/**
 * Provenance of one version: every event whose subject is that version, in the order the registry
 * recorded them (log append time, then position; occurredAt is what the producer reported), each
 * read back from the log at its coordinates and checked against the index, from registration
 * through gates to deployments; with `modelVersion` null, every event of the model (each of its
 * streams whole, as audit verification needs).
 */
export function exportAudit(
  pool: Pool,
  kafka: Kafka,
  codec: EventCodec,
  modelName: string,
  modelVersion: number | null,
  includeRaw: boolean,
): Promise<AuditLine[]> {
  return readIndexedEvents(pool, kafka, codec, { modelName, modelVersion: modelVersion ?? 'all', eventType: null }, includeRaw);
}

/**
 * The indexed events about one subject (a version; every version of a model with `'all'`; or a
 * policy, `@policy:<id>` with no version, null), optionally of one type, read back from the log at
 * their coordinates, in the order recorded.
 */
export async function readIndexedEvents(
  pool: Pool,
  kafka: Kafka,
  codec: EventCodec,
  subject: { modelName: string; modelVersion: number | null | 'all'; eventType: string | null },
  includeRaw: boolean,
): Promise<AuditLine[]> {
  const everyVersion = subject.modelVersion === 'all';
  const index = (
    await pool.query(
      `SELECT event_id AS "eventId", event_type AS "eventType", topic, kafka_partition AS partition,
         kafka_offset::text AS "offset", occurred_at AS "occurredAt"
      FROM projections.event_index
      WHERE model_name = $1 AND ($4 OR model_version IS NOT DISTINCT FROM $2) AND ($3::text IS NULL OR event_type = $3)
      ORDER BY logged_at, topic, kafka_partition, kafka_offset`,
      [subject.modelName, everyVersion ? null : subject.modelVersion, subject.eventType, everyVersion],
    )
  ).rows as Array<{ eventId: string; eventType: string; topic: string; partition: number; offset: string; occurredAt: Date }>;
  const records = await readAtCoordinates(kafka, index);
  return index.map((entry, position) => {
    const record = records[position];
    const event = codec.decode(record?.message.value ?? null);
    if (event.data.envelope.eventId !== entry.eventId)
      throw new Error(
        `log record ${entry.topic}/${entry.partition}@${entry.offset} holds event ${event.data.envelope.eventId}, ` +
          `the index says ${entry.eventId}`,
      );
    return {
      topic: entry.topic,
      partition: entry.partition,
      offset: entry.offset,
      eventId: entry.eventId,
      eventType: entry.eventType,
      occurredAt: entry.occurredAt.toISOString(),
      principal: event.data.envelope.principal,
      requestId: event.data.envelope.requestId,
      event: event.data,
      ...(includeRaw ? { rawAvroBase64: (record?.message.value as Buffer).toString('base64') } : {}),
    };
  });
}
