import { z } from 'zod';
import { IsoTime, named } from '@modelreg/validation';

/** GET/POST /v1/replay and /v1/verify/state: the rebuilder's state (ReplayStatus, StateVerification). */
const checksum = z.object({ rows: z.int(), md5: z.string() });

export const ReplayStatusSchema = named(
  'ReplayStatus',
  z.object({
    state: z.enum(['idle', 'rebuilding', 'switching', 'verifying', 'done', 'failed']),
    schema: z.string().optional(),
    startedAt: IsoTime.optional(),
    finishedAt: IsoTime.optional(),
    eventsApplied: z.int().optional(),
    eventsPerSecond: z.number().optional(),
    rebuildSeconds: z.number().optional(),
    checksums: z
      .record(z.string(), z.object({ live: checksum, rebuilt: checksum, equal: z.boolean() }))
      .optional()
      .describe('Per read-model table: the state replaced and the rebuilt one'),
    checksumError: z.string().optional(),
    error: z.string().optional(),
  }),
);

export const StateVerificationSchema = named(
  'StateVerification',
  z.object({
    state: z.enum(['idle', 'rebuilding', 'comparing', 'done', 'failed']),
    startedAt: IsoTime.optional(),
    finishedAt: IsoTime.optional(),
    drifted: z.int().optional().describe('Rows that differ'),
    rows: z
      .array(z.object({ table: z.string(), key: z.string(), served: z.string().nullable(), rebuilt: z.string().nullable() }))
      .optional()
      .describe('Up to 100 per table'),
    error: z.string().optional(),
  }),
);
