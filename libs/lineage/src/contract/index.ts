export {
  CodeVersionSchema,
  HyperparameterInput,
  RunRegistrationAnswer,
  RunSubmissionBody,
  SubmittedArtifact,
  SubmittedEnvironment,
  SubmittedMetrics,
} from './run-submission.contract';
export type { RunSubmissionJson } from './run-submission.contract';
export { EnvironmentFingerprintSchema, RegisteredArtifact, ValidationMetricsSchema, VersionViewSchema } from './version-view.contract';
