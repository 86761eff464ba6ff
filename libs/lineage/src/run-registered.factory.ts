import { buildEnvelope, type ArtifactRecord, type ArtifactSignature, type EventOrigin, type RunRegistered } from '@modelreg/events';
import type { RunSubmission } from './run-submission';

export interface Registration {
  modelVersion: number;
  registeredAt: number;
  eventId: string;
  producer: string;
  origin: EventOrigin;
  causationId?: string | null;
  /** Where each declared artifact is stored, in declaration order. */
  storageUris: string[];
  /** What registration found about each declared artifact's signature bundle (null: none), in declaration order. */
  signatures?: Array<ArtifactSignature | null>;
}

/** The RunRegistered event for a validated submission and the version the registry assigned. Pure. */
export function buildRunRegistered(submission: RunSubmission, registration: Registration): RunRegistered {
  const artifacts: ArtifactRecord[] = submission.artifacts.map((artifact, index) => ({
    target: artifact.target,
    format: artifact.format,
    sizeBytes: artifact.sizeBytes,
    sha256: artifact.sha256,
    storageUri: registration.storageUris[index] as string,
    signature: registration.signatures?.[index] ?? null,
  }));
  return {
    envelope: buildEnvelope('RunRegistered', {
      eventId: registration.eventId,
      occurredAt: registration.registeredAt,
      producer: registration.producer,
      ...registration.origin,
      causationId: registration.causationId ?? null,
      modelName: submission.modelName,
      modelVersion: registration.modelVersion,
    }),
    modelName: submission.modelName,
    modelVersion: registration.modelVersion,
    trainingRunId: submission.trainingRunId,
    registeredAt: registration.registeredAt,
    artifacts,
    code: submission.code,
    dataSnapshots: submission.dataSnapshots,
    features: submission.features,
    hyperparameters: submission.hyperparameters,
    seeds: submission.seeds,
    environment: submission.environment,
    metrics: submission.metrics,
    labels: submission.labels,
    reproductionOf: submission.reproductionOf ?? null,
  };
}
