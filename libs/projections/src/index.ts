export { toModelVersionRow } from './model-version-row';
export type { ModelVersionRow } from './model-version-row';
export { diffLineage } from './lineage-diff';
export type { HyperparameterChange, LineageDiff, VersionLineage, ValueChange, SetChanges, MetricDelta } from './lineage-diff';
