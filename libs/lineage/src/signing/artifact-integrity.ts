import type { ArtifactSignature } from '@modelreg/events';
import { canonicalJson } from '@modelreg/validation';
import { MalformedBundleError, parseModelSigningBundle, type ModelSigningBundle } from './model-signing-bundle';

/** Files of a directory artifact (a tar) by path relative to the model's root, with their sha256. */
export type FileDigests = ReadonlyMap<string, string>;

const MAX_LISTED = 5;

/** A bundle signs a single file when its one resource is the model itself, named `.`. */
export function signsSingleFile(bundle: ModelSigningBundle): boolean {
  return bundle.resources.length === 1 && bundle.resources[0]?.name === '.';
}

/** Whether checking this bundle needs the artifact's file digests (a directory manifest over a tar). */
export function needsFileDigests(rawBundle: unknown): boolean {
  try {
    return !signsSingleFile(parseModelSigningBundle(rawBundle));
  } catch {
    return false;
  }
}

/**
 * What the registry records about a signature at registration: the bundle (canonical JSON), the
 * signer's key id, and whether the signed digests are those of the stored bytes (a single file:
 * its sha256; a directory: every file of the tar, none missing, none extra). Whether the signer is
 * trusted is the gate's question (`artifact-signature`), against the policy in force. Pure.
 */
export function recordArtifactSignature(rawBundle: unknown, artifactSha256: string, files: FileDigests | null): ArtifactSignature {
  const bundle = canonicalJson(rawBundle);
  let parsed: ModelSigningBundle;
  try {
    parsed = parseModelSigningBundle(rawBundle);
  } catch (error) {
    if (!(error instanceof MalformedBundleError)) throw error;
    return { bundle, keyId: null, manifest: null, integrity: 'malformed', reason: error.message };
  }
  const base = { bundle, keyId: parsed.keyHint };
  const mismatch = integrityProblem(parsed, artifactSha256, files);
  return {
    ...base,
    manifest: signsSingleFile(parsed) ? 'file' : 'directory',
    integrity: mismatch ? 'mismatch' : 'match',
    reason: mismatch,
  };
}

/** Why the signed digests are not the artifact's, or null when they are. */
export function integrityProblem(bundle: ModelSigningBundle, artifactSha256: string, files: FileDigests | null): string | null {
  if (signsSingleFile(bundle)) {
    const signed = bundle.resources[0]?.sha256;
    return signed === artifactSha256 ? null : `the signed file has sha256 ${signed}, the registered artifact ${artifactSha256}`;
  }
  if (!files) return 'the bundle signs a directory, and the artifact is not a tar of one';
  const ignored = (path: string) => bundle.ignorePaths.some((ignore) => path === ignore || path.startsWith(`${ignore}/`));
  const signed = new Map(bundle.resources.map((resource) => [resource.name, resource.sha256]));
  const stored = [...files].filter(([path]) => !ignored(path));
  const problems = [
    ...[...signed.keys()].filter((path) => !files.has(path)).map((path) => `${path} is signed but not in the artifact`),
    ...stored.filter(([path]) => !signed.has(path)).map(([path]) => `${path} is in the artifact but not signed`),
    ...stored
      .filter(([path, sha256]) => signed.has(path) && signed.get(path) !== sha256)
      .map(([path]) => `${path} differs from the signed file`),
  ];
  if (problems.length === 0) return null;
  const more = problems.length > MAX_LISTED ? `; and ${problems.length - MAX_LISTED} more` : '';
  return `${problems.slice(0, MAX_LISTED).join('; ')}${more}`;
}
