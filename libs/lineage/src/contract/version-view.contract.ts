import { z } from 'zod';
import { IsoTime, named } from '@modelreg/validation';
import { CodeVersionSchema } from './run-submission.contract';

/** The answer shape of `toVersionView` (../version-view.ts): a version's lineage as stored, JSON out. */
const metricValues = z.record(z.string(), z.number());

export const RegisteredArtifact = named(
  'RegisteredArtifact',
  z.object({
    target: z.string(),
    format: z.string(),
    sizeBytes: z.int(),
    sha256: z.string(),
    storageUri: z.string(),
    signature: z
      .object({
        bundle: z.string().describe('The sigstore bundle as canonical JSON'),
        keyId: z.string().nullable(),
        manifest: z.enum(['file', 'directory']).nullable(),
        integrity: z.enum(['match', 'mismatch', 'malformed']),
        reason: z.string().nullable(),
      })
      .nullable()
      .optional(),
  }),
);

export const EnvironmentFingerprintSchema = named(
  'EnvironmentFingerprint',
  z.object({
    fingerprint: z.string(),
    cpuModel: z.string(),
    gpuModel: z.string().nullable(),
    gpuCount: z.int(),
    gpuDriver: z.string().nullable(),
    cudaVersion: z.string().nullable(),
    cudnnVersion: z.string().nullable(),
    os: z.string(),
    kernel: z.string(),
    containerImageDigest: z.string().nullable(),
    lockfileHash: z.string().nullable(),
    packages: z.array(z.object({ name: z.string(), version: z.string(), ecosystem: z.string() })),
  }),
);

export const ValidationMetricsSchema = named(
  'ValidationMetrics',
  z.object({
    overall: metricValues,
    slices: z.array(z.object({ slice: z.string(), trafficShare: z.number(), metrics: metricValues })),
    fairness: z.array(z.object({ attribute: z.string(), group: z.string(), metrics: metricValues })),
    operational: z.array(z.object({ target: z.string(), p99LatencyMs: z.number().nullable(), metrics: metricValues })),
  }),
);

export const VersionViewSchema = named(
  'ModelVersion',
  z.object({
    modelName: z.string(),
    modelVersion: z.int().min(1),
    trainingRunId: z.string(),
    registeredAt: IsoTime,
    eventId: z.string().optional().describe('The RunRegistered event id'),
    artifacts: z.array(RegisteredArtifact),
    code: CodeVersionSchema,
    dataSnapshots: z.array(z.object({ snapshotId: z.string(), source: z.string(), coveredFrom: IsoTime, coveredTo: IsoTime })),
    features: z.array(z.object({ name: z.string(), version: z.string(), transformHash: z.string() })),
    hyperparameters: z
      .record(z.string(), z.union([z.boolean(), z.number(), z.string()]))
      .describe('Plain values; their registered type is in hyperparameterTypes'),
    hyperparameterTypes: z.record(z.string(), z.enum(['boolean', 'long', 'double', 'string'])),
    seeds: z.record(z.string(), z.string()).describe('Decimal integer strings (the whole unsigned 64-bit range)'),
    environment: EnvironmentFingerprintSchema,
    metrics: ValidationMetricsSchema,
    labels: z.record(z.string(), z.string()),
    reproductionOf: z.int().nullable().optional(),
  }),
  {
    description: 'A registered version in full: JSON in is JSON out (ISO 8601 times, plain hyperparameters with their types beside them).',
  },
);
