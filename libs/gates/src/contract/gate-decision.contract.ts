import { z } from 'zod';
import { envelopeJson, EventEnvelopeSchema, type GateEvaluated } from '@modelreg/events';
import { named } from '@modelreg/validation';

/** The JSON shape of a gate decision as the gate answers it: the GateEvaluated event as appended. */
const verdict = z.enum(['PASSED', 'FAILED']);

export const GateCheckResult = named(
  'GateCheckResult',
  z.object({
    checkId: z.string(),
    kind: z.string(),
    metric: z.string().nullable(),
    slice: z.string().nullable(),
    group: z.string().nullable(),
    target: z.string().nullable(),
    observed: z.number().nullable(),
    baseline: z.number().nullable(),
    threshold: z.number().nullable(),
    comparator: z.string(),
    tolerance: z.number(),
    outcome: z.enum(['PASSED', 'FAILED', 'SKIPPED']),
    reason: z.string().nullable(),
    explanation: z.string().describe('The check in words, with its numbers'),
  }),
);

export const PlacementSchema = named('Placement', z.object({ service: z.string(), surface: z.string(), environment: z.string() }));

/** A decision's evaluation against one placement's baseline (or against none). */
export const BaselineEvaluation = named(
  'BaselineEvaluation',
  z.object({
    placement: PlacementSchema.nullable(),
    baselineVersion: z.int().nullable(),
    baselineRule: z.string(),
    checks: z.array(GateCheckResult),
    verdict,
    eligibleForDeployment: z.boolean(),
  }),
);

export const GateDecisionSchema = named(
  'GateDecision',
  z.object({
    envelope: EventEnvelopeSchema,
    modelName: z.string(),
    candidateVersion: z.int(),
    baselineVersion: z.int().nullable(),
    baselineRule: z.string(),
    policy: z.object({ policyId: z.string(), policyVersion: z.int(), contentHash: z.string() }),
    trigger: z.string(),
    checks: z.array(GateCheckResult),
    verdict: verdict.describe('PASSED only when every evaluation in baselines passed'),
    eligibleForDeployment: z.boolean(),
    baselines: z
      .array(BaselineEvaluation)
      .describe("One evaluation per placement serving in the policy's environment, or one with no placement"),
  }),
  { description: 'A gate decision (GateEvaluated) with every check.' },
);

/** A GateEvaluated as the gate answers it (`GateDecisionSchema`). */
export function gateDecisionJson(event: GateEvaluated) {
  return { ...event, envelope: envelopeJson(event.envelope) };
}

export const GateDecisionList = named('GateDecisionList', z.object({ items: z.array(GateDecisionSchema) }));

export const ReEvaluationRequest = named(
  'ReEvaluationRequest',
  z.object({
    policyId: z.string().optional().describe('A published policy to judge under instead of the governing one'),
    policyVersion: z.int().min(1).optional().describe('Required with policyId'),
  }),
  { example: { policyId: 'fraud-strict', policyVersion: 2 } },
);
