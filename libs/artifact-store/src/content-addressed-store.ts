import { createHash, randomUUID } from 'node:crypto';
import { Transform, type Readable } from 'node:stream';
import { AbortMultipartUploadCommand, CopyObjectCommand, DeleteObjectCommand, HeadObjectCommand, ListMultipartUploadsCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
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

/** 8 MiB parts, two in flight: an upload of any size holds a few tens of MiB of body in memory. */
const PART_SIZE = 8 * 1024 * 1024;

/** Where uploads stream before their bytes are verified; nothing else lives under it. */
const TEMPORARY_PREFIX = 'uploads/';

/** What a sweep removed. */
export interface SweepResult {
  abortedUploads: number;
  deletedTemporaryObjects: number;
}

/**
 * Model binaries stored once per content: key `artifacts/sha256/<hex>`. An upload streams to a
 * private temporary key while its sha256 and size are computed, and only bytes that match the
 * declaration are moved to their content address, so a stored artifact is always what its name says.
 */
export class ContentAddressedStore {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
  ) {}

  keyFor(sha256: string): string {
    return `artifacts/sha256/${sha256}`;
  }

  uriFor(sha256: string): string {
    return `s3://${this.bucket}/${this.keyFor(sha256)}`;
  }

  /** Size of the stored artifact, or null when no such content is stored. */
  async sizeOf(sha256: string): Promise<number | null> {
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.keyFor(sha256) }));
      return head.ContentLength ?? 0;
    } catch (error) {
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (status === 404 || (error as Error).name === 'NotFound') return null;
      throw new ObjectStoreUnavailableError(`HeadObject failed: ${(error as Error).message}`, error);
    }
  }

  /**
   * Stores `body` if its bytes match `declared`. On any failure (mismatch, a client that went away,
   * S3 failing) the multipart upload is aborted and the temporary key deleted; what an outage
   * prevents from being removed, `sweepAbandonedUploads` removes later.
   */
  async put(body: Readable, declared: { sha256: string; sizeBytes: number }): Promise<StoredArtifact> {
    const tempKey = `${TEMPORARY_PREFIX}${randomUUID()}`;
    const hash = createHash('sha256');
    let received = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        received += chunk.length;
        hash.update(chunk);
        if (received > declared.sizeBytes) callback(new ArtifactMismatchError('sizeBytes', `received more than the declared ${declared.sizeBytes} bytes`));
        else callback(null, chunk);
      },
    });
    body.on('error', (error) => meter.destroy(error));
    body.pipe(meter);
    try {
      await new Upload({ client: this.client, params: { Bucket: this.bucket, Key: tempKey, Body: meter }, partSize: PART_SIZE, queueSize: 2, leavePartsOnError: false }).done();
    } catch (error) {
      await this.deleteQuietly(tempKey);
      if (error instanceof ArtifactMismatchError) throw error;
      if ((error as Error).message?.includes('aborted') || (body as { aborted?: boolean }).aborted) {
        throw new ArtifactMismatchError('sizeBytes', `upload was cut off after ${received} of ${declared.sizeBytes} bytes`);
      }
      throw new ObjectStoreUnavailableError(`upload failed: ${(error as Error).message}`, error);
    }
    const sha256 = hash.digest('hex');
    if (received !== declared.sizeBytes) {
      await this.deleteQuietly(tempKey);
      throw new ArtifactMismatchError('sizeBytes', `received ${received} bytes, declared ${declared.sizeBytes} (truncated upload?)`);
    }
    if (sha256 !== declared.sha256) {
      await this.deleteQuietly(tempKey);
      throw new ArtifactMismatchError('sha256', `content hashes to ${sha256}, declared ${declared.sha256}`);
    }
    const existing = await this.sizeOf(sha256);
    if (existing === null) {
      try {
        await this.client.send(new CopyObjectCommand({ Bucket: this.bucket, Key: this.keyFor(sha256), CopySource: `${this.bucket}/${tempKey}` }));
      } catch (error) {
        await this.deleteQuietly(tempKey);
        unavailable('CopyObject')(error);
      }
    }
    await this.deleteQuietly(tempKey);
    return { sha256, sizeBytes: received, storageUri: this.uriFor(sha256), deduplicated: existing !== null };
  }

  /**
   * Removes what interrupted uploads left behind (a killed process, an S3 outage during an abort):
   * incomplete multipart uploads and temporary objects started before `olderThan`. Younger ones
   * may belong to uploads in progress and stay.
   */
  async sweepAbandonedUploads(olderThan: Date): Promise<SweepResult> {
    const result: SweepResult = { abortedUploads: 0, deletedTemporaryObjects: 0 };
    let keyMarker: string | undefined;
    let uploadIdMarker: string | undefined;
    do {
      const page = await this.client.send(new ListMultipartUploadsCommand({ Bucket: this.bucket, Prefix: TEMPORARY_PREFIX, KeyMarker: keyMarker, UploadIdMarker: uploadIdMarker })).catch(unavailable('ListMultipartUploads'));
      for (const upload of page.Uploads ?? []) {
        if (!upload.Key || !upload.UploadId || !upload.Initiated || upload.Initiated >= olderThan) continue;
        await this.client.send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: upload.Key, UploadId: upload.UploadId })).catch(unavailable('AbortMultipartUpload'));
        result.abortedUploads += 1;
      }
      [keyMarker, uploadIdMarker] = page.IsTruncated ? [page.NextKeyMarker, page.NextUploadIdMarker] : [undefined, undefined];
    } while (keyMarker);
    let continuationToken: string | undefined;
    do {
      const page = await this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: TEMPORARY_PREFIX, ContinuationToken: continuationToken })).catch(unavailable('ListObjectsV2'));
      for (const object of page.Contents ?? []) {
        if (!object.Key || !object.LastModified || object.LastModified >= olderThan) continue;
        await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: object.Key })).catch(unavailable('DeleteObject'));
        result.deletedTemporaryObjects += 1;
      }
      continuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (continuationToken);
    return result;
  }

  private async deleteQuietly(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key })).catch(() => undefined);
  }
}

/** A failed S3 call as an ObjectStoreUnavailableError naming the operation. */
function unavailable(operation: string): (error: unknown) => never {
  return (error) => {
    throw new ObjectStoreUnavailableError(`${operation} failed: ${(error as Error).message}`, error);
  };
}
