import { z } from 'zod';
import { named } from '@modelreg/validation';
import { DEFAULT_POLICY } from '../policy/default-policy';

/**
 * The wire shape of a policy document (../policy/gate-policy.ts). `validatePolicy` keeps the rules
 * a shape cannot say (identifier alphabets, metric names, bounds that contradict, storable text)
 * and serves policies read back from the log as well.
 */
const BoundSchema = named(
  'Bound',
  z
    .object({
      min: z.number().optional(),
      max: z.number().optional(),
      above: z.number().optional(),
      below: z.number().optional(),
      target: z.number().optional(),
      maxDeviation: z.number().optional(),
    })
    .describe('Inclusive min/max, exclusive above/below, or target ± maxDeviation'),
);
const DeviationSchema = named('Deviation', z.object({ absolute: z.number().optional(), relative: z.number().optional() }));
const ChangeSchema = named(
  'ChangeRequirement',
  z.object({ direction: z.enum(['higher', 'lower']), absolute: z.number().optional(), relative: z.number().optional() }),
);
const SlicesSchema = named(
  'SliceSelection',
  z.union([
    named('SlicesByName', z.object({ names: z.array(z.string()) })),
    named('TopSlicesByTraffic', z.object({ topKByTraffic: z.int() })),
  ]),
);
const ifAbsent = z.enum(['fail', 'skip']).optional().describe('Default fail');
/** Each kind a named schema (MetricThresholdCheck, …): generated clients get one class per kind. */
const check = <K extends string, S extends z.ZodRawShape>(kind: K, shape: S) =>
  named(
    `${kind.replace(/(^|-)([a-z])/g, (_, _dash: string, letter: string) => letter.toUpperCase())}Check`,
    z.object({ id: z.string(), kind: z.literal(kind), ...shape }),
  );

export const CheckDefinitionSchema = named(
  'CheckDefinition',
  z.discriminatedUnion('kind', [
    check('metric-threshold', { metric: z.string(), bound: BoundSchema }),
    check('metric-change', { metric: z.string(), change: ChangeSchema }),
    check('slice-threshold', { metric: z.string(), slices: SlicesSchema, bound: BoundSchema }),
    check('slice-change', { metric: z.string(), slices: SlicesSchema, change: ChangeSchema }),
    check('group-disparity', { metric: z.string(), attributes: z.array(z.string()).optional(), maxGap: z.number() }),
    check('artifact-size', { target: z.string(), bound: BoundSchema, ifAbsent: ifAbsent }),
    check('artifact-format', { target: z.string(), formats: z.array(z.string()), ifAbsent: ifAbsent }),
    check('artifact-signature', { target: z.string(), required: z.boolean().optional().describe('Default true') }),
    check('operational', {
      metric: z.string(),
      targets: z
        .union([z.literal('all-artifact-targets'), z.array(z.string())])
        .optional()
        .describe('Default all-artifact-targets'),
      bound: BoundSchema,
    }),
  ]),
);

const baselineRule = z.enum(['serving-full-traffic-else-latest-passed', 'latest-passed', 'none']);
const whenMissing = z.enum(['value-checks-only', 'block']);
const canaryGuardrail = z.object({
  metric: z.string(),
  bound: BoundSchema.optional(),
  maxRegression: DeviationSchema.optional(),
  direction: z.enum(['higher', 'lower']).optional(),
  maxRelativeDrop: z.number().optional(),
});
const tolerances = z.record(z.string(), z.union([z.number(), DeviationSchema]));
const signers = z.array(z.object({ name: z.string(), publicKey: z.string().describe('PEM') }));
const reproduction = z.object({ metricTolerance: z.record(z.string(), DeviationSchema) });

/**
 * A policy as published: what is left out takes its default (models ["*"], the serving baseline in
 * production, tolerance 1e-9, no guardrails).
 */
export const PolicyDocumentSchema = named(
  'PolicyDocument',
  z.object({
    policyId: z.string(),
    version: z.int().min(1).describe('The previous version + 1 (the built-in "default" is version 1)'),
    description: z.string().optional(),
    models: z.array(z.string()).optional().describe('Model names, or prefixes ending in *; default ["*"]'),
    baseline: z
      .object({ rule: baselineRule.optional(), environment: z.string().optional(), whenMissing: whenMissing.optional() })
      .optional(),
    tolerance: z.number().optional().describe('Absolute comparison tolerance; default 1e-9'),
    checks: z.array(CheckDefinitionSchema).min(1),
    guardrails: z.object({ canary: z.array(canaryGuardrail).optional(), offlineOnlineTolerance: tolerances.optional() }).optional(),
    trustedSigners: signers.optional(),
    reproduction: reproduction.optional(),
  }),
  { description: 'A promotion policy: versioned data, immutable once published.', example: DEFAULT_POLICY as never },
);

/** A published policy in full, defaults applied, with its content hash. */
export const PublishedPolicy = named(
  'PublishedPolicy',
  z.object({
    policyId: z.string(),
    version: z.int(),
    description: z.string(),
    models: z.array(z.string()),
    baseline: z.object({ rule: baselineRule, environment: z.string(), whenMissing }),
    tolerance: z.number(),
    checks: z.array(CheckDefinitionSchema),
    guardrails: z.object({ canary: z.array(canaryGuardrail), offlineOnlineTolerance: tolerances }),
    trustedSigners: signers.optional(),
    reproduction: reproduction.optional(),
    contentHash: z.string(),
  }),
);

const publishedFields = { policyId: z.string(), policyVersion: z.int(), contentHash: z.string() };
const warnings = z
  .array(z.object({ field: z.string(), message: z.string() }))
  .describe("Each metric no registered version of the policy's models carries");

export const PolicyPublication = named(
  'PolicyPublication',
  z.object({ kind: z.enum(['published', 'already-published']), ...publishedFields, warnings }),
);
export const PolicyProposal = named(
  'PolicyProposal',
  z.object({
    kind: z.literal('proposed'),
    proposalId: z.string(),
    ...publishedFields,
    loosening: z.array(z.string()).describe('How the version loosens the one in force'),
  }),
);
export const PolicyApproval = named(
  'PolicyApproval',
  z.object({ kind: z.literal('published'), proposalId: z.string(), ...publishedFields }),
);
export const PolicyList = named(
  'PolicyList',
  z.object({
    items: z.array(
      z.object({ policyId: z.string(), version: z.int(), contentHash: z.string(), models: z.array(z.string()), builtIn: z.boolean() }),
    ),
  }),
);
