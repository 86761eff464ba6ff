import type { EventEnvelope } from './envelope';

/** Mirrors schemas/lineage/RunRegistered (latest version). */
export interface RunRegistered {
  envelope: EventEnvelope;
  modelName: string;
  modelVersion: number;
  trainingRunId: string;
  registeredAt: number;
  artifacts: ArtifactRecord[];
  code: CodeVersion;
  dataSnapshots: DataSnapshot[];
  features: FeatureDefinition[];
  hyperparameters: Record<string, HyperparameterValue>;
  /** Decimal integer strings: seeds may use the whole unsigned 64-bit range. */
  seeds: Record<string, string>;
  environment: EnvironmentFingerprint;
  metrics: ValidationMetrics;
  labels: Record<string, string>;
  /** The earlier version this run reproduces (v2; null when it is not a reproduction). */
  reproductionOf?: number | null;
}

/** Avro union branch wrappers: the branch name keeps an integer 2048 apart from a float 2048.0. */
export type HyperparameterValue = { boolean: boolean } | { long: number } | { double: number } | { string: string };

export interface ArtifactRecord {
  target: string;
  format: string;
  sizeBytes: number;
  sha256: string;
  storageUri: string;
  /** The artifact's model-signing bundle and what registration found (v2; absent in v1 events and decoded as null). */
  signature?: ArtifactSignature | null;
}

/**
 * An OpenSSF model-signing bundle registered with an artifact. `integrity` says whether the signed
 * digests are the stored bytes' (`match`, `mismatch`, `malformed`); whether the signer is trusted
 * is the gate's `artifact-signature` check against the policy in force.
 */
export interface ArtifactSignature {
  /** The sigstore bundle as canonical JSON. */
  bundle: string;
  /** sha256 of the signer's PEM public key, as the bundle's key hint names it. */
  keyId: string | null;
  manifest: 'file' | 'directory' | null;
  integrity: 'match' | 'mismatch' | 'malformed';
  reason: string | null;
}

export interface CodeVersion {
  repository: string;
  commit: string;
  codeHash: string;
}

export interface DataSnapshot {
  snapshotId: string;
  source: string;
  coveredFrom: number;
  coveredTo: number;
}

export interface FeatureDefinition {
  name: string;
  version: string;
  transformHash: string;
}

export interface ResolvedPackage {
  name: string;
  version: string;
  ecosystem: string;
}

export interface EnvironmentFingerprint {
  fingerprint: string;
  cpuModel: string;
  gpuModel: string | null;
  gpuCount: number;
  gpuDriver: string | null;
  cudaVersion: string | null;
  cudnnVersion: string | null;
  os: string;
  kernel: string;
  containerImageDigest: string | null;
  lockfileHash: string | null;
  packages: ResolvedPackage[];
}

export type MetricValues = Record<string, number>;

export interface ValidationMetrics {
  overall: MetricValues;
  slices: SliceMetrics[];
  fairness: GroupMetrics[];
  operational: TargetOperationalMetrics[];
}

export interface SliceMetrics {
  slice: string;
  /** Share of production traffic in [0, 1]. */
  trafficShare: number;
  metrics: MetricValues;
}

export interface GroupMetrics {
  attribute: string;
  group: string;
  metrics: MetricValues;
}

export interface TargetOperationalMetrics {
  target: string;
  p99LatencyMs: number | null;
  metrics: MetricValues;
}

/** Mirrors schemas/lineage/RunSubmitted (latest version): what a training cluster produces on the run-submissions topic. */
export interface RunSubmitted {
  envelope: EventEnvelope;
  modelName: string;
  trainingRunId: string;
  artifacts: Array<Omit<ArtifactRecord, 'storageUri' | 'signature'>>;
  code: CodeVersion;
  dataSnapshots: DataSnapshot[];
  features: FeatureDefinition[];
  hyperparameters: Record<string, HyperparameterValue>;
  seeds: Record<string, string>;
  environment: Omit<EnvironmentFingerprint, 'fingerprint'> & { fingerprint: string | null };
  metrics: ValidationMetrics;
  labels: Record<string, string>;
}
