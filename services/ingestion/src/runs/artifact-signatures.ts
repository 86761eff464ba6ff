import type { ContentAddressedStore } from '@modelreg/artifact-store';
import type { ArtifactSignature } from '@modelreg/events';
import {
  needsFileDigests,
  NotATarError,
  recordArtifactSignature,
  TarFileDigests,
  type DeclaredArtifact,
  type FileDigests,
} from '@modelreg/lineage';

/**
 * What registration records about each artifact's signature bundle (null: none): the rule is
 * `recordArtifactSignature`; this reads the stored tar's files when the bundle signs a directory.
 */
export async function inspectArtifactSignatures(
  store: ContentAddressedStore,
  artifacts: readonly DeclaredArtifact[],
): Promise<Array<ArtifactSignature | null>> {
  return Promise.all(
    artifacts.map(async (artifact) => {
      if (!artifact.signatureBundle) return null;
      const files = needsFileDigests(artifact.signatureBundle) ? await tarFiles(store, artifact.sha256) : null;
      return recordArtifactSignature(artifact.signatureBundle, artifact.sha256, files);
    }),
  );
}

/** The files of a stored tar with their sha256, or null when the artifact is not a tar of plain files. */
async function tarFiles(store: ContentAddressedStore, sha256: string): Promise<FileDigests | null> {
  const reader = new TarFileDigests();
  try {
    for await (const chunk of store.read(sha256)) reader.push(chunk);
    return reader.finish();
  } catch (error) {
    if (error instanceof NotATarError) return null;
    throw error;
  }
}
