export { parseModelSigningBundle, MalformedBundleError, MODEL_SIGNING_PREDICATE } from './model-signing-bundle';
export type { ModelSigningBundle, SignedResource } from './model-signing-bundle';
export { recordArtifactSignature, needsFileDigests, integrityProblem, signsSingleFile } from './artifact-integrity';
export type { FileDigests } from './artifact-integrity';
export {
  verifyArtifactSignature,
  reverifyArtifactSignature,
  verifyBundle,
  signerKeyId,
  publicKeyProblem,
  dssePreAuthEncoding,
} from './trusted-signers';
export type { TrustedSigner, SignatureVerdict, SignatureFailure } from './trusted-signers';
export { TarFileDigests, NotATarError } from './tar-file-digests';
