/** How much one relay send may carry: both bounds hold, whichever is reached first. */
export interface OutboxBatchLimits {
  maxRecords: number;
  /** Keep it below the broker's `message.max.bytes` (10 MiB here): one send is one batch per partition. */
  maxBytes: number;
}

export const DEFAULT_OUTBOX_BATCH_LIMITS: OutboxBatchLimits = { maxRecords: 500, maxBytes: 4 * 1024 * 1024 };

/** Record framing and the relay's own headers, on top of key, value and headers. */
export const RECORD_OVERHEAD_BYTES = 128;

/**
 * The longest run of queued records, in queue order, within both limits. The first record is always
 * taken, however big: the broker decides whether it fits, and refuses it for good if not.
 */
export function takeBatch<T extends { bytes: number }>(queued: readonly T[], limits: OutboxBatchLimits): T[] {
  const batch: T[] = [];
  let bytes = 0;
  for (const record of queued) {
    if (batch.length === limits.maxRecords) break;
    if (batch.length > 0 && bytes + record.bytes > limits.maxBytes) break;
    batch.push(record);
    bytes += record.bytes;
  }
  return batch;
}
