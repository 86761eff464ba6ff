export { validateRunSubmission } from './run-submission';
export type { RunSubmission, DeclaredArtifact } from './run-submission';
export { buildRunRegistered } from './run-registered.factory';
export type { Registration } from './run-registered.factory';
export { computeEnvironmentFingerprint } from './environment-fingerprint';
export type { EnvironmentFacts } from './environment-fingerprint';
export { exampleRunSubmissionJson } from './examples/example-run-submission';
export { runSubmittedToSubmissionJson } from './run-submitted';
export * from './signing';
export { reproductionManifest, renderRecipe } from './reproduction-manifest';
export type { ReproductionManifest } from './reproduction-manifest';
export { dataSnapshotView, toVersionView, typedHyperparameter } from './version-view';
export type { DataSnapshotView, HyperparameterType, TypedHyperparameter, VersionView } from './version-view';
export { diffLineage } from './lineage-diff';
export type { HyperparameterChange, LineageDiff, VersionLineage, ValueChange, SetChanges, MetricDelta } from './lineage-diff';
export {
  CodeVersionSchema,
  EnvironmentFingerprintSchema,
  HyperparameterInput,
  RegisteredArtifact,
  RunRegistrationAnswer,
  RunSubmissionBody,
  SubmittedArtifact,
  SubmittedEnvironment,
  SubmittedMetrics,
  ValidationMetricsSchema,
  VersionViewSchema,
} from './contract';
export type { RunSubmissionJson } from './contract';
