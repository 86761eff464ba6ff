import { verifyAuditTrail, type AuditBreak, type EventCodec, type Keyring } from '@modelreg/events';
import type { Pool } from '@modelreg/postgres';
import type { AuditLine } from './audit-export';

export interface AuditVerificationReport {
  modelName: string;
  ok: boolean;
  verified: number;
  unsigned: number;
  breaks: AuditBreak[];
}

/**
 * A model's audit export checked as an auditor would offline (signatures, chain per stream), plus
 * what only the service can check: each stream's last exported record must be the last one its
 * consumer believed (verified_chain_heads), so records missing at the end of the index show too.
 */
export async function verifyModelAudit(
  pool: Pool,
  codec: EventCodec,
  keyring: Keyring,
  modelName: string,
  lines: AuditLine[],
): Promise<AuditVerificationReport> {
  const trail = verifyAuditTrail(codec, keyring, lines);
  const believed = (await pool.query('SELECT topic, head_hash FROM projections.verified_chain_heads WHERE stream_key = $1', [modelName]))
    .rows as Array<{ topic: string; head_hash: string }>;
  const exported = new Map(trail.heads.map((head) => [head.topic, head.hash]));
  const missingAtEnd = believed
    .filter((head) => exported.get(head.topic) !== head.head_hash)
    .map((head) => ({
      topic: head.topic,
      partition: -1,
      offset: 'end',
      eventId: '',
      reason:
        `the export's last ${modelName} event on ${head.topic} is not the last one the projections consumer believed ` +
        `(${head.head_hash}): events are missing from the index`,
    }));
  const breaks = [...trail.breaks, ...missingAtEnd];
  return { modelName, ok: breaks.length === 0, verified: trail.verified, unsigned: trail.unsigned, breaks };
}
