import { z } from 'zod';
import { booleanParam, named } from '@modelreg/validation';

/** POST /v1/rebuild: the gate rebuilt from offset 0, compared decision by decision (RebuildReport). */
export const GateRebuildReport = named(
  'GateRebuildReport',
  z.object({
    events: z.int().describe('Events read from offset 0 of the lineage, deployments and gates topics'),
    logged: z.int().describe('Decisions on the log that registrations caused'),
    rebuilt: z.int(),
    identical: z.int(),
    differing: z.array(z.object({ eventId: z.string(), modelName: z.string(), modelVersion: z.int() })),
    decisions: z.array(
      z.object({
        eventId: z.string(),
        modelName: z.string(),
        modelVersion: z.int(),
        identical: z.boolean(),
        payload: z.string().optional().describe('The rebuilt GateEvaluated, single-object encoded, base64 (payloads=true)'),
      }),
    ),
  }),
);

export const RebuildQuery = z.object({
  payloads: booleanParam().default(false).meta({ description: 'true: include each rebuilt GateEvaluated, single-object encoded, base64' }),
});
