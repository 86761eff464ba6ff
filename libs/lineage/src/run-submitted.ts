import type { RunSubmitted } from '@modelreg/events';

/**
 * The HTTP body equivalent of a RunSubmitted event, so both paths go through the same
 * validateRunSubmission: time ranges become ISO-8601 strings, typed hyperparameters stay typed.
 */
export function runSubmittedToSubmissionJson(event: RunSubmitted): Record<string, unknown> {
  const { envelope: _envelope, environment, dataSnapshots, hyperparameters, ...rest } = event;
  const { fingerprint, ...facts } = environment;
  return {
    ...rest,
    hyperparameters: Object.fromEntries(
      Object.entries(hyperparameters).map(([name, value]) => [
        name,
        'boolean' in value ? value.boolean : 'string' in value ? value.string : value,
      ]),
    ),
    dataSnapshots: dataSnapshots.map((snapshot) => ({
      ...snapshot,
      coveredFrom: isoOrRaw(snapshot.coveredFrom),
      coveredTo: isoOrRaw(snapshot.coveredTo),
    })),
    environment: fingerprint === null ? facts : { ...facts, fingerprint },
  };
}

/** An out-of-range timestamp is passed on as the number, which the validator rejects with its field name. */
function isoOrRaw(millis: number): string | number {
  const date = new Date(millis);
  return Number.isNaN(date.getTime()) ? millis : date.toISOString();
}
