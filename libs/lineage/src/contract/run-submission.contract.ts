import { z } from 'zod';
import { named } from '@modelreg/validation';
import { exampleRunSubmissionJson } from '../examples/example-run-submission';

/**
 * The wire shape of a run registration (POST /v1/runs): what the edge checks before
 * `validateRunSubmission` applies the rules a shape cannot say (identifier alphabets, storable
 * text, metric names, [0, 1] metrics, the environment fingerprint). That parser also serves the
 * Kafka run-submission path, so it keeps its own structural reading.
 */
const absent = <T extends z.ZodType>(schema: T) => schema.nullable().optional();
const metricValues = z.record(z.string(), z.number()).describe('Metric name → value, e.g. {"auc": 0.91}');
const HYPERPARAMETER_HINT = 'must be a boolean, number, string, {"long": n} or {"double": x}';

export const SubmittedArtifact = named(
  'SubmittedArtifact',
  z.object({
    target: z.string().describe('Where it runs: server, mobile, …'),
    format: z.string().describe('SavedModel, onnx, …'),
    sizeBytes: z.int().min(1),
    sha256: z.string().describe('Of bytes uploaded with PUT /v1/artifacts/{sha256}'),
    signature: z
      .record(z.string(), z.unknown())
      .optional()
      .describe('An OpenSSF model-signing bundle (model.sig as JSON) signing these bytes'),
  }),
  { description: 'An artifact by the sha256 of bytes already uploaded; URLs and paths are refused.' },
);

export const CodeVersionSchema = named('CodeVersion', z.object({ repository: z.string(), commit: z.string(), codeHash: z.string() }));

export const HyperparameterInput = named(
  'HyperparameterInput',
  z.union([z.boolean(), z.number(), z.string(), z.strictObject({ long: z.int() }), z.strictObject({ double: z.number() })], {
    error: HYPERPARAMETER_HINT,
  }),
  { description: 'A plain value (integers are registered as long, fractions as double) or {"long": n} / {"double": x} to state the type.' },
);

export const SubmittedMetrics = named(
  'SubmittedMetrics',
  z.object({
    overall: metricValues,
    slices: absent(z.array(z.object({ slice: z.string(), trafficShare: z.number().min(0).max(1), metrics: metricValues }))),
    fairness: absent(z.array(z.object({ attribute: z.string(), group: z.string(), metrics: metricValues }))),
    operational: absent(z.array(z.object({ target: z.string(), p99LatencyMs: absent(z.number()), metrics: absent(metricValues) }))),
  }),
);

export const SubmittedEnvironment = named(
  'SubmittedEnvironment',
  z.object({
    cpuModel: z.string(),
    gpuModel: absent(z.string()),
    gpuCount: z.int().min(0).optional(),
    gpuDriver: absent(z.string()),
    cudaVersion: absent(z.string()),
    cudnnVersion: absent(z.string()),
    os: z.string(),
    kernel: z.string(),
    containerImageDigest: absent(z.string()),
    lockfileHash: absent(z.string()),
    packages: absent(z.array(z.object({ name: z.string(), version: z.string(), ecosystem: absent(z.string()) }))),
    fingerprint: z.string().optional().describe('Omit it: the registry computes it from the facts (a mismatch is refused)'),
  }),
);

export const RunSubmissionBody = named(
  'RunSubmission',
  z.object({
    modelName: z.string(),
    trainingRunId: z.string().describe('Idempotency key: a retry with the same content returns the existing version'),
    artifacts: z.array(SubmittedArtifact).min(1).max(16),
    code: CodeVersionSchema,
    dataSnapshots: z
      .array(
        z.object({
          snapshotId: z.string(),
          source: z.string(),
          coveredFrom: z.string().describe('ISO 8601 date or date-time with zone'),
          coveredTo: z.string().describe('ISO 8601 date or date-time with zone'),
        }),
      )
      .min(1),
    features: absent(z.array(z.object({ name: z.string(), version: z.union([z.string(), z.number()]), transformHash: z.string() }))),
    hyperparameters: absent(z.record(z.string(), HyperparameterInput)),
    seeds: z
      .record(
        z.string(),
        z.union([z.string(), z.int().min(0)], { error: 'must be an integer in [0, 2^64 - 1] (a decimal string above 2^53)' }),
      )
      .describe('Seed name → integer; a decimal string above 2^53'),
    environment: SubmittedEnvironment,
    metrics: SubmittedMetrics,
    labels: absent(z.record(z.string(), z.string())),
    reproductionOf: absent(z.int().min(1)).describe('The version this run reproduces'),
  }),
  {
    description: 'A training run to register as a new model version, with its full lineage.',
    example: exampleRunSubmissionJson() as never,
  },
);

export type RunSubmissionJson = z.input<typeof RunSubmissionBody>;

export const RunRegistrationAnswer = named(
  'RunRegistration',
  z.object({
    status: z.enum(['registered', 'already-registered']),
    modelName: z.string(),
    modelVersion: z.int().min(1),
    eventId: z.string().describe('The RunRegistered event id'),
  }),
  { example: { status: 'registered', modelName: 'fraud-model', modelVersion: 1, eventId: '0190b1c2-7d3e-7f00-8a00-000000000001' } },
);
