import { z } from 'zod';
import { named } from '@modelreg/validation';
import { DEFAULT_POLICY } from '../policy/default-policy';

/**
 * The wire shape of a policy document (../policy/gate-policy.ts). `validatePolicy` keeps the rules
 * a shape cannot say (identifier alphabets, metric names, bounds that contradict, storable text)
 * and serves policies read back from the log as well.
 */
const BoundSchema = named('Bound', z.object({
  min: z.number().optional(), max: z.number().optional(), above: z.number().optional(), below: z.number().optional(),
  target: z.number().optional(), maxDeviation: z.number().optional(),
}).describe('Inclusive min/max, exclusive above/below, or target ± maxDeviation'));
const DeviationSchema = z.object({ absolute: z.number().optional(), relative: z.number().optional() });
const ChangeSchema = z.object({ direction: z.enum(['higher', 'lower']), absolute: z.number().optional(), relative: z.number().optional() });
const SlicesSchema = z.union([z.object({ names: z.array(z.string()) }), z.object({ topKByTraffic: z.int() })]);
const check = <K extends string, S extends z.ZodRawShape>(kind: K, shape: S) => z.object({ id: z.string(), kind: z.literal(kind), ...shape });

export const CheckDefinitionSchema = named('CheckDefinition', z.discriminatedUnion('kind', [
  check('metric-threshold', { metric: z.string(), bound: BoundSchema }),
  check('metric-change', { metric: z.string(), change: ChangeSchema }),
  check('slice-threshold', { metric: z.string(), slices: SlicesSchema, bound: BoundSchema }),
  check('slice-change', { metric: z.string(), slices: SlicesSchema, change: ChangeSchema }),
  check('group-disparity', { metric: z.string(), attributes: z.array(z.string()).optional(), maxGap: z.number() }),
  check('artifact-size', { target: z.string(), bound: BoundSchema, ifAbsent: z.enum(['fail', 'skip']) }),
  check('artifact-format', { target: z.string(), formats: z.array(z.string()), ifAbsent: z.enum(['fail', 'skip']) }),
  check('artifact-signature', { target: z.string(), required: z.boolean() }),
  check('operational', { metric: z.string(), targets: z.union([z.literal('all-artifact-targets'), z.array(z.string())]), bound: BoundSchema }),
]));

export const PolicyDocumentSchema = named('PolicyDocument', z.object({
  policyId: z.string(),
  version: z.int().min(1).describe('The previous version + 1 (the built-in "default" is version 1)'),
  description: z.string(),
  models: z.array(z.string()).describe('Model names, or prefixes ending in *'),
  baseline: z.object({ rule: z.enum(['serving-full-traffic-else-latest-passed', 'latest-passed', 'none']), environment: z.string(), whenMissing: z.enum(['value-checks-only', 'block']) }),
  tolerance: z.number().describe('Absolute comparison tolerance, e.g. 1e-9'),
  checks: z.array(CheckDefinitionSchema),
  guardrails: z.object({
    canary: z.array(z.object({ metric: z.string(), bound: BoundSchema.optional(), maxRegression: DeviationSchema.optional(), direction: z.enum(['higher', 'lower']).optional(), maxRelativeDrop: z.number().optional() })),
    offlineOnlineTolerance: z.record(z.string(), z.union([z.number(), DeviationSchema])),
  }),
  trustedSigners: z.array(z.object({ name: z.string(), publicKey: z.string().describe('PEM') })).optional(),
  reproduction: z.object({ metricTolerance: z.record(z.string(), DeviationSchema) }).optional(),
}), { description: 'A promotion policy: versioned data, immutable once published.', example: DEFAULT_POLICY as never });

const publishedFields = { policyId: z.string(), policyVersion: z.int(), contentHash: z.string() };
const warnings = z.array(z.object({ field: z.string(), message: z.string() })).describe('Each metric no registered version of the policy\'s models carries');

export const PolicyPublication = named('PolicyPublication', z.object({ kind: z.enum(['published', 'already-published']), ...publishedFields, warnings }));
export const PolicyProposal = named('PolicyProposal', z.object({ kind: z.literal('proposed'), proposalId: z.string(), ...publishedFields, loosening: z.array(z.string()).describe('How the version loosens the one in force') }));
export const PolicyApproval = named('PolicyApproval', z.object({ kind: z.literal('published'), proposalId: z.string(), ...publishedFields }));
export const PolicyList = named('PolicyList', z.object({
  items: z.array(z.object({ policyId: z.string(), version: z.int(), contentHash: z.string(), models: z.array(z.string()), builtIn: z.boolean() })),
}));
export const PublishedPolicy = named('PublishedPolicy', PolicyDocumentSchema.extend({ contentHash: z.string() }));
