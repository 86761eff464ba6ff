import { z } from 'zod';
import { named } from '@modelreg/validation';

/** GET /v1/models/{modelName}/placements: what the gate takes to serve each placement (its baselines). */
export const GatePlacementList = named('GatePlacementList', z.object({
  items: z.array(z.object({
    modelName: z.string(),
    service: z.string(),
    surface: z.string(),
    environment: z.string(),
    servingVersion: z.int().nullable(),
    servingDeploymentId: z.string().nullable(),
    servingSince: z.int().nullable().describe('UTC milliseconds since the epoch'),
    servedVersions: z.array(z.int()).describe('Every version that served 100%: rollback targets'),
    canaries: z.array(z.object({ deploymentId: z.string(), modelVersion: z.int(), trafficPercent: z.number(), baselineVersion: z.int().nullable(), startedAt: z.int().describe('UTC milliseconds since the epoch') })),
  })),
}));
