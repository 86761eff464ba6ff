import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  CreateMultipartUploadCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { readObjectStoreSettings } from '@modelreg/config';
import { startPrivateS3, type PrivateS3 } from '@modelreg/testing';
import { ArtifactMismatchError, ContentAddressedStore } from './content-addressed-store';
import { createS3Client } from './s3-client';

const BUCKET = 'sweep-test';

/** What interrupted uploads leave behind, and the sweep that removes it, on an S3-compatible server of the test's own. */
describe('abandoned uploads (real S3-compatible server)', () => {
  let s3: PrivateS3;
  let client: ReturnType<typeof createS3Client>;
  let store: ContentAddressedStore;

  beforeAll(async () => {
    s3 = await startPrivateS3(BUCKET);
    client = createS3Client(readObjectStoreSettings(s3.env));
    store = new ContentAddressedStore(client, BUCKET);
  });
  afterAll(async () => {
    client.destroy();
    await s3.dispose();
  });

  const incompleteUploads = async () =>
    ((await client.send(new ListMultipartUploadsCommand({ Bucket: BUCKET }))).Uploads ?? []).map((upload) => upload.Key).sort();
  const keys = async () =>
    ((await client.send(new ListObjectsV2Command({ Bucket: BUCKET }))).Contents ?? []).map((object) => object.Key).sort();
  const startMultipart = async (key: string) => {
    const { UploadId } = await client.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: key }));
    await client.send(new UploadPartCommand({ Bucket: BUCKET, Key: key, UploadId, PartNumber: 1, Body: randomBytes(1024) }));
  };

  it(
    'aborts incomplete multipart uploads and deletes temporary objects older than the age, ' + 'and leaves young ones and stored artifacts',
    async () => {
      const artifact = randomBytes(4096);
      const sha256 = createHash('sha256').update(artifact).digest('hex');
      await store.put(Readable.from([artifact]), { sha256, sizeBytes: artifact.length });
      await startMultipart('uploads/old-multipart');
      await startMultipart(`artifacts/sha256/${'b'.repeat(64)}`);
      await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'uploads/old-object', Body: 'x' }));
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const cutoff = new Date();
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await startMultipart('uploads/young-multipart');
      await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'uploads/young-object', Body: 'y' }));
      expect(await incompleteUploads()).toEqual([`artifacts/sha256/${'b'.repeat(64)}`, 'uploads/old-multipart', 'uploads/young-multipart']);

      expect(await store.sweepAbandonedUploads(cutoff)).toEqual({ abortedUploads: 2, deletedTemporaryObjects: 1 });

      expect(await incompleteUploads()).toEqual(['uploads/young-multipart']);
      expect(await keys()).toEqual([`artifacts/sha256/${sha256}`, 'uploads/young-object']);
      expect(await store.sweepAbandonedUploads(new Date(Date.now() + 1000))).toEqual({ abortedUploads: 1, deletedTemporaryObjects: 1 });
      expect(await incompleteUploads()).toEqual([]);
    },
  );

  it('a body that breaks off after a multipart upload began leaves no incomplete upload and no object', async () => {
    const part = randomBytes(9 * 1024 * 1024); // more than one 8 MiB part, so the multipart upload has begun
    async function* breaksOff() {
      yield part;
      await new Promise((resolve) => setTimeout(resolve, 200));
      throw Object.assign(new Error('aborted'), { code: 'ECONNRESET' });
    }
    await expect(store.put(Readable.from(breaksOff()), { sha256: 'a'.repeat(64), sizeBytes: 3 * part.length })).rejects.toThrow(
      ArtifactMismatchError,
    );
    expect(await incompleteUploads()).toEqual([]);
    expect(await store.sizeOf('a'.repeat(64))).toBeNull();
    expect((await keys()).filter((key) => key?.startsWith('uploads/'))).toEqual([]);
  });
});
