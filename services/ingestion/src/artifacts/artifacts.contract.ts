import { z } from 'zod';
import { named } from '@modelreg/validation';

const SHA256_EXAMPLE = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';

/** GET /v1/artifacts/{sha256}: the stored bytes' size and where they live. */
export const ArtifactStatus = named(
  'ArtifactStatus',
  z.object({
    sha256: z.string(),
    sizeBytes: z.int().min(1),
    storageUri: z.string().describe('s3://<bucket>/artifacts/sha256/<sha256>'),
  }),
  { example: { sha256: SHA256_EXAMPLE, sizeBytes: 1024, storageUri: `s3://modelreg/artifacts/sha256/${SHA256_EXAMPLE}` } },
);

/** PUT /v1/artifacts/{sha256}: what was stored, and whether the bytes were there already. */
export const StoredArtifactAnswer = named(
  'StoredArtifact',
  ArtifactStatus.extend({
    deduplicated: z.boolean().describe('The same bytes were already stored; this upload added nothing'),
  }),
  {
    example: {
      sha256: SHA256_EXAMPLE,
      sizeBytes: 1024,
      storageUri: `s3://modelreg/artifacts/sha256/${SHA256_EXAMPLE}`,
      deduplicated: false,
    },
  },
);

/** The upload body: raw bytes, streamed. */
export const ARTIFACT_BYTES_SCHEMA = { type: 'string', format: 'binary', contentMediaType: 'application/octet-stream' } as const;
