import { z } from 'zod';
import { named } from '@modelreg/validation';

/** GET /health/live and /health/ready of every service (health.controller.ts, readiness-check.ts). */
export const Liveness = named('Liveness', z.object({ status: z.literal('ok') }));

export const ReadinessReportSchema = named(
  'ReadinessReport',
  z.object({
    ready: z.boolean().describe('Decides the HTTP status: the capability asked for, else every check'),
    capability: z.string().optional(),
    checks: z.record(
      z.string(),
      z.object({ ok: z.boolean(), error: z.string().optional(), detail: z.record(z.string(), z.unknown()).optional() }),
    ),
    capabilities: z.record(
      z.string(),
      z.object({ ready: z.boolean(), needs: z.array(z.string()), failing: z.record(z.string(), z.string()).optional() }),
    ),
  }),
);

export const ReadinessQuery = z.object({
  capability: z.string().optional().meta({ description: "A capability of the service: the status is that capability's alone" }),
});
