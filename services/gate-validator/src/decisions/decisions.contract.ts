import { z } from 'zod';
import { PlacementServing } from '@modelreg/deployments';
import { named } from '@modelreg/validation';

/** GET /v1/models/{modelName}/placements: what the gate takes to serve each placement (its baselines). */
export const GatePlacementList = named(
  'GatePlacementList',
  z.object({ items: z.array(PlacementServing.extend({ modelName: z.string() })) }),
);
