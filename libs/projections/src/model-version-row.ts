import type { RunRegistered } from '@modelreg/events';

/** The read model of one registered version: searchable columns plus the full lineage document. */
export interface ModelVersionRow {
  modelName: string;
  modelVersion: number;
  trainingRunId: string;
  registeredAt: number;
  codeRepository: string;
  codeCommit: string;
  codeHash: string;
  environmentFingerprint: string;
  /** Everything the RunRegistered event carried except its envelope. */
  lineage: Omit<RunRegistered, 'envelope'>;
  eventId: string;
}

export function toModelVersionRow(event: RunRegistered): ModelVersionRow {
  const { envelope, ...lineage } = event;
  return {
    modelName: event.modelName,
    modelVersion: event.modelVersion,
    trainingRunId: event.trainingRunId,
    registeredAt: event.registeredAt,
    codeRepository: event.code.repository,
    codeCommit: event.code.commit,
    codeHash: event.code.codeHash,
    environmentFingerprint: event.environment.fingerprint,
    lineage,
    eventId: envelope.eventId,
  };
}
