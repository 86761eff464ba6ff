export { validateRunSubmission } from './run-submission';
export type { RunSubmission, DeclaredArtifact } from './run-submission';
export { buildRunRegistered } from './run-registered.factory';
export type { Registration } from './run-registered.factory';
export { computeEnvironmentFingerprint } from './environment-fingerprint';
export type { EnvironmentFacts } from './environment-fingerprint';
export { exampleRunSubmissionJson } from './examples/example-run-submission';
export { runSubmittedToSubmissionJson } from './run-submitted';
