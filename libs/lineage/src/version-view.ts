import type { DataSnapshot, HyperparameterValue, RunRegistered } from '@modelreg/events';

/** A version's lineage as the registry stores it: RunRegistered without its envelope. */
type VersionLineage = Omit<RunRegistered, 'envelope'>;

/** The Avro branch a hyperparameter was registered with: an integer 2048 stays apart from a float 2048.0. */
export type HyperparameterType = 'boolean' | 'long' | 'double' | 'string';

export interface TypedHyperparameter {
  value: boolean | number | string;
  type: HyperparameterType;
}

/** A data snapshot as the API shows it: its time range in ISO 8601 UTC, as it was sent. */
export interface DataSnapshotView extends Omit<DataSnapshot, 'coveredFrom' | 'coveredTo'> {
  coveredFrom: string;
  coveredTo: string;
}

/**
 * A version's lineage as the API answers it: JSON in is JSON out. Hyperparameters are plain values
 * with their registered type beside them (`hyperparameterTypes`), times are ISO 8601.
 */
export interface VersionView extends Omit<VersionLineage, 'hyperparameters' | 'dataSnapshots' | 'registeredAt'> {
  registeredAt: string;
  hyperparameters: Record<string, boolean | number | string>;
  hyperparameterTypes: Record<string, HyperparameterType>;
  dataSnapshots: DataSnapshotView[];
}

export function typedHyperparameter(wrapped: HyperparameterValue): TypedHyperparameter {
  const [type, value] = Object.entries(wrapped)[0] as [HyperparameterType, boolean | number | string];
  return { value, type };
}

export function dataSnapshotView(snapshot: DataSnapshot): DataSnapshotView {
  return { ...snapshot, coveredFrom: new Date(snapshot.coveredFrom).toISOString(), coveredTo: new Date(snapshot.coveredTo).toISOString() };
}

export function toVersionView(lineage: VersionLineage): VersionView {
  const typed = Object.entries(lineage.hyperparameters).map(([name, wrapped]) => [name, typedHyperparameter(wrapped)] as const);
  return {
    ...lineage,
    registeredAt: new Date(lineage.registeredAt).toISOString(),
    hyperparameters: Object.fromEntries(typed.map(([name, { value }]) => [name, value])),
    hyperparameterTypes: Object.fromEntries(typed.map(([name, { type }]) => [name, type])),
    dataSnapshots: lineage.dataSnapshots.map(dataSnapshotView),
  };
}
