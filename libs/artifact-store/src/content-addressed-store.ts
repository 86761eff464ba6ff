import { createHash } from 'node:crypto';
import { Transform, type Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  type S3Client,
} from '@aws-sdk/client-s3';
import { uploadInParts } from './part-upload';
import { ObjectStoreUnavailableError } from './s3-client';

/** The bytes received do not match what the caller declared. Nothing is stored. */
export class ArtifactMismatchError extends Error {
  readonly retriable = false;
  constructor(
    readonly field: 'sha256' | 'sizeBytes',
    message: string,
  ) {
    super(message);
    this.name = 'ArtifactMismatchError';
  }
}

export interface StoredArtifact {
  sha256: string;
  sizeBytes: number;
  storageUri: string;
  /** The same bytes were already stored; this upload added nothing. */
  deduplicated: boolean;
}

/** Where earlier versions streamed uploads before verifying them; the sweep still clears it. */
const TEMPORARY_PREFIX = 'uploads/';

/** Content addresses; an upload in progress is an incomplete multipart upload under it. */
const ARTIFACT_PREFIX = 'artifacts/sha256/';

/** How long a stored artifact's size is believed without asking S3 again. */
export const KNOWN_ARTIFACT_TTL_MS = 5 * 60_000;

/** Stored artifacts remembered at most (oldest forgotten first). */
export const KNOWN_ARTIFACT_ENTRIES = 10_000;

export interface ContentAddressedStoreOptions {
  /** The clock, ms since the epoch: tests move it. */
  now?: () => number;
  knownTtlMs?: number;
  maxKnown?: number;
}

/** What a sweep removed. */
export interface SweepResult {
  abortedUploads: number;
  deletedTemporaryObjects: number;
}

/**
 * Model binaries stored once per content: key `artifacts/sha256/<hex>`. An upload streams to its
 * content address while its sha256 and size are computed, and completes only if the bytes match the
 * declaration (see put), so a stored artifact is always what its name says.
 */
export class ContentAddressedStore {
  /** sha256 → size of artifacts seen stored (uploaded here or found by HeadObject), and until when to believe it. */
  private readonly known = new Map<string, { sizeBytes: number; untilMs: number }>();
  private readonly now: () => number;
  private readonly knownTtlMs: number;
  private readonly maxKnown: number;

  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
    options: ContentAddressedStoreOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.knownTtlMs = options.knownTtlMs ?? KNOWN_ARTIFACT_TTL_MS;
    this.maxKnown = options.maxKnown ?? KNOWN_ARTIFACT_ENTRIES;
  }

  keyFor(sha256: string): string {
    return `${ARTIFACT_PREFIX}${sha256}`;
  }

  uriFor(sha256: string): string {
    return `s3://${this.bucket}/${this.keyFor(sha256)}`;
  }

  /**
   * Size of the stored artifact, or null when no such content is stored. Content under its address
   * never changes and the registry never deletes it, so an artifact seen stored (uploaded through
   * this store, or found by HeadObject) is believed for `KNOWN_ARTIFACT_TTL_MS` without asking S3
   * again: a registration right after its upload costs no S3 call. An object deleted behind the
   * registry's back is noticed within that time. Absence is never remembered.
   */
  async sizeOf(sha256: string): Promise<number | null> {
    const nowMs = this.now();
    const known = this.known.get(sha256);
    if (known && nowMs < known.untilMs) return known.sizeBytes;
    if (known) this.known.delete(sha256);
    const size = await this.headSize(sha256);
    if (size !== null) this.remember(sha256, size, nowMs);
    return size;
  }

  private remember(sha256: string, sizeBytes: number, nowMs: number): void {
    if (this.known.size >= this.maxKnown) this.known.delete(this.known.keys().next().value as string);
    this.known.set(sha256, { sizeBytes, untilMs: nowMs + this.knownTtlMs });
  }

  private async headSize(sha256: string): Promise<number | null> {
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.keyFor(sha256) }));
      return head.ContentLength ?? 0;
    } catch (error) {
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (status === 404 || (error as Error).name === 'NotFound') return null;
      throw new ObjectStoreUnavailableError(`HeadObject failed: ${(error as Error).message}`, error);
    }
  }

  /** Streams the stored bytes, chunk by chunk (e.g. to hash the files of a tar); never buffers the object. */
  async *read(sha256: string): AsyncGenerator<Buffer> {
    let body: AsyncIterable<Uint8Array>;
    try {
      const object = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.keyFor(sha256) }));
      body = object.Body as AsyncIterable<Uint8Array>;
    } catch (error) {
      throw new ObjectStoreUnavailableError(`GetObject failed: ${(error as Error).message}`, error);
    }
    try {
      for await (const chunk of body) yield Buffer.from(chunk);
    } catch (error) {
      throw new ObjectStoreUnavailableError(`reading ${this.keyFor(sha256)} failed: ${(error as Error).message}`, error);
    }
  }

  /**
   * Stores `body` if its bytes match `declared`. The bytes stream straight to their content address
   * as a multipart upload while their sha256 and size are computed; the stream only ends, and the
   * upload only completes, once both match the declaration, so no other bytes ever become visible
   * under that name (an object appears in S3 only when its upload completes). On any failure
   * (mismatch, a client that went away, S3 failing) the multipart upload is aborted; what an outage
   * prevents from being aborted, `sweepAbandonedUploads` removes later. Bytes already stored are
   * read and verified but not uploaded again.
   */
  async put(body: Readable, declared: { sha256: string; sizeBytes: number }): Promise<StoredArtifact> {
    // Asked of S3, not of memory: an upload of bytes deleted behind the registry's back stores them again.
    const existing = await this.headSize(declared.sha256);
    const verifier = verifyingStream(declared);
    body.on('error', (error) => verifier.stream.destroy(error));
    body.pipe(verifier.stream);
    try {
      if (existing === null) {
        await uploadInParts(this.client, { bucket: this.bucket, key: this.keyFor(declared.sha256) }, verifier.stream);
      } else {
        await drain(verifier.stream);
      }
    } catch (error) {
      if (error instanceof ArtifactMismatchError) throw error;
      if ((error as Error).message?.includes('aborted') || (body as { aborted?: boolean }).aborted) {
        throw new ArtifactMismatchError('sizeBytes', `upload was cut off after ${verifier.received()} of ${declared.sizeBytes} bytes`);
      }
      throw new ObjectStoreUnavailableError(`upload failed: ${(error as Error).message}`, error);
    }
    this.remember(declared.sha256, declared.sizeBytes, this.now());
    return {
      sha256: declared.sha256,
      sizeBytes: declared.sizeBytes,
      storageUri: this.uriFor(declared.sha256),
      deduplicated: existing !== null,
    };
  }

  /**
   * Removes what interrupted uploads left behind (a killed process, an S3 outage during an abort):
   * incomplete multipart uploads and temporary objects started before `olderThan`. Younger ones
   * may belong to uploads in progress and stay.
   */
  async sweepAbandonedUploads(olderThan: Date): Promise<SweepResult> {
    const result: SweepResult = { abortedUploads: 0, deletedTemporaryObjects: 0 };
    for (const prefix of [ARTIFACT_PREFIX, TEMPORARY_PREFIX]) result.abortedUploads += await this.abortIncompleteUploads(prefix, olderThan);
    let continuationToken: string | undefined;
    do {
      const page = await this.client
        .send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: TEMPORARY_PREFIX, ContinuationToken: continuationToken }))
        .catch(unavailable('ListObjectsV2'));
      for (const object of page.Contents ?? []) {
        if (!object.Key || !object.LastModified || object.LastModified >= olderThan) continue;
        await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: object.Key })).catch(unavailable('DeleteObject'));
        result.deletedTemporaryObjects += 1;
      }
      continuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (continuationToken);
    return result;
  }

  private async abortIncompleteUploads(prefix: string, olderThan: Date): Promise<number> {
    let aborted = 0;
    let keyMarker: string | undefined;
    let uploadIdMarker: string | undefined;
    do {
      const page = await this.client
        .send(
          new ListMultipartUploadsCommand({ Bucket: this.bucket, Prefix: prefix, KeyMarker: keyMarker, UploadIdMarker: uploadIdMarker }),
        )
        .catch(unavailable('ListMultipartUploads'));
      for (const upload of page.Uploads ?? []) {
        if (!upload.Key || !upload.UploadId || !upload.Initiated || upload.Initiated >= olderThan) continue;
        await this.client
          .send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: upload.Key, UploadId: upload.UploadId }))
          .catch(unavailable('AbortMultipartUpload'));
        aborted += 1;
      }
      [keyMarker, uploadIdMarker] = page.IsTruncated ? [page.NextKeyMarker, page.NextUploadIdMarker] : [undefined, undefined];
    } while (keyMarker);
    return aborted;
  }
}

/**
 * A pass-through that counts and hashes the bytes and ends only if they match the declaration: too
 * many bytes fail as soon as they arrive, too few or the wrong digest fail at the end, before the
 * consumer sees the end of the stream (and so before an upload could complete).
 */
function verifyingStream(declared: { sha256: string; sizeBytes: number }): { stream: Transform; received: () => number } {
  const hash = createHash('sha256');
  let received = 0;
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      received += chunk.length;
      hash.update(chunk);
      if (received > declared.sizeBytes)
        callback(new ArtifactMismatchError('sizeBytes', `received more than the declared ${declared.sizeBytes} bytes`));
      else callback(null, chunk);
    },
    flush(callback) {
      if (received !== declared.sizeBytes)
        return callback(
          new ArtifactMismatchError('sizeBytes', `received ${received} bytes, declared ${declared.sizeBytes} (truncated upload?)`),
        );
      const sha256 = hash.digest('hex');
      if (sha256 !== declared.sha256)
        return callback(new ArtifactMismatchError('sha256', `content hashes to ${sha256}, declared ${declared.sha256}`));
      callback();
    },
  });
  return { stream, received: () => received };
}

async function drain(stream: Readable): Promise<void> {
  for await (const _chunk of stream) {
    // verified as it passes; already stored
  }
}

/** A failed S3 call as an ObjectStoreUnavailableError naming the operation. */
function unavailable(operation: string): (error: unknown) => never {
  return (error) => {
    throw new ObjectStoreUnavailableError(`${operation} failed: ${(error as Error).message}`, error);
  };
}
