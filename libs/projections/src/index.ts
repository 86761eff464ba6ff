export { toModelVersionRow } from './model-version-row';
export type { ModelVersionRow } from './model-version-row';
// The lineage diff is the lineage context's rule (gates compare reproductions with it too); read models serve it from here.
export { diffLineage } from '@modelreg/lineage';
export type { HyperparameterChange, LineageDiff, VersionLineage, ValueChange, SetChanges, MetricDelta } from '@modelreg/lineage';
export * from './audit-bundle';
