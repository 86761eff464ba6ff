import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { DeleteObjectCommand, ListMultipartUploadsCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { readObjectStoreSettings } from '@modelreg/config';
import { createTestEnvironment, type TestEnvironment } from '@modelreg/testing';
import { ArtifactMismatchError, ContentAddressedStore } from './content-addressed-store';
import { createS3Client } from './s3-client';

describe('ContentAddressedStore (real S3-compatible server)', () => {
  let environment: TestEnvironment;
  let client: ReturnType<typeof createS3Client>;
  let store: ContentAddressedStore;

  beforeAll(async () => {
    environment = await createTestEnvironment('artifact-store');
    const env = environment.env;
    client = createS3Client(readObjectStoreSettings(env));
    store = new ContentAddressedStore(client, env['S3_BUCKET']!);
  });
  afterAll(async () => {
    client.destroy();
    await environment.dispose();
  });

  const keys = async () =>
    ((await client.send(new ListObjectsV2Command({ Bucket: environment.env['S3_BUCKET'] }))).Contents ?? [])
      .map((object) => object.Key)
      .sort();
  const incompleteUploads = async () =>
    (await client.send(new ListMultipartUploadsCommand({ Bucket: environment.env['S3_BUCKET'] }))).Uploads ?? [];
  const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

  it('believes an artifact seen stored for a while without asking S3, and never remembers absence', async () => {
    const clock = { ms: Date.parse('2026-11-28T00:00:00Z') };
    const remembering = new ContentAddressedStore(client, environment.env['S3_BUCKET']!, { now: () => clock.ms, knownTtlMs: 60_000 });
    const uploaded = randomBytes(1000);
    const found = randomBytes(1001);
    const deleteBehindItsBack = (bytes: Buffer) =>
      client.send(new DeleteObjectCommand({ Bucket: environment.env['S3_BUCKET'], Key: remembering.keyFor(sha(bytes)) }));
    // Uploaded through this store: remembered.
    await remembering.put(Readable.from([uploaded]), { sha256: sha(uploaded), sizeBytes: uploaded.length });
    // Absent, then stored by another instance: the absence was not remembered, the HeadObject that finds it is.
    expect(await remembering.sizeOf(sha(found))).toBeNull();
    await store.put(Readable.from([found]), { sha256: sha(found), sizeBytes: found.length });
    expect(await remembering.sizeOf(sha(found))).toBe(found.length);
    await deleteBehindItsBack(uploaded);
    await deleteBehindItsBack(found);
    clock.ms += 59_999;
    expect(await remembering.sizeOf(sha(uploaded))).toBe(uploaded.length);
    expect(await remembering.sizeOf(sha(found))).toBe(found.length);
    // An upload asks S3, not the memory: the deleted bytes are stored again.
    const again = await remembering.put(Readable.from([found]), { sha256: sha(found), sizeBytes: found.length });
    expect(again.deduplicated).toBe(false);
    expect(await keys()).toContain(remembering.keyFor(sha(found)));
    clock.ms += 1;
    expect(await remembering.sizeOf(sha(uploaded))).toBeNull();
    expect(await remembering.sizeOf(sha(found))).toBe(found.length);
    await deleteBehindItsBack(found); // the bucket is shared with the tests below, which count its keys
  });

  it('stores bytes under their sha256, multipart, and stores the same bytes only once', async () => {
    const bytes = randomBytes(20 * 1024 * 1024 + 17); // more than one 16 MiB part
    const first = await store.put(Readable.from([bytes]), { sha256: sha(bytes), sizeBytes: bytes.length });
    expect(first).toEqual({
      sha256: sha(bytes),
      sizeBytes: bytes.length,
      storageUri: `s3://${environment.env['S3_BUCKET']}/artifacts/sha256/${sha(bytes)}`,
      deduplicated: false,
    });
    expect(await store.sizeOf(sha(bytes))).toBe(bytes.length);
    const again = await store.put(Readable.from([bytes]), { sha256: sha(bytes), sizeBytes: bytes.length });
    expect(again.deduplicated).toBe(true);
    expect(await keys()).toEqual([`artifacts/sha256/${sha(bytes)}`]);
  });

  it.each([
    ['a wrong sha256', (bytes: Buffer) => ({ sha256: 'f'.repeat(64), sizeBytes: bytes.length }), 'sha256'],
    ['fewer bytes than declared (truncated)', (bytes: Buffer) => ({ sha256: sha(bytes), sizeBytes: bytes.length + 10 }), 'sizeBytes'],
    ['more bytes than declared', (bytes: Buffer) => ({ sha256: sha(bytes), sizeBytes: bytes.length - 10 }), 'sizeBytes'],
    [
      'a wrong sha256 for a multipart body',
      (bytes: Buffer) => ({ sha256: 'e'.repeat(64), sizeBytes: bytes.length }),
      'sha256',
      20 * 1024 * 1024,
    ],
    [
      'fewer bytes than declared for a multipart body',
      (bytes: Buffer) => ({ sha256: sha(bytes), sizeBytes: bytes.length + 1 }),
      'sizeBytes',
      20 * 1024 * 1024,
    ],
  ])('rejects %s and leaves nothing behind, not even an incomplete upload', async (_case, declare, field, size = 4096) => {
    const before = await keys();
    const bytes = randomBytes(size);
    const rejection = store.put(Readable.from([bytes]), declare(bytes));
    await expect(rejection).rejects.toBeInstanceOf(ArtifactMismatchError);
    await expect(rejection).rejects.toMatchObject({ field });
    expect(await store.sizeOf(sha(bytes))).toBeNull();
    expect(await store.sizeOf(declare(bytes).sha256)).toBeNull();
    expect(await keys()).toEqual(before);
    expect(await incompleteUploads()).toEqual([]);
  });

  it('verifies bytes already stored without storing them again, and refuses other bytes under their name', async () => {
    const bytes = randomBytes(10_000);
    await store.put(Readable.from([bytes]), { sha256: sha(bytes), sizeBytes: bytes.length });
    const impostor = randomBytes(10_000);
    await expect(store.put(Readable.from([impostor]), { sha256: sha(bytes), sizeBytes: impostor.length })).rejects.toMatchObject({
      field: 'sha256',
    });
    expect(await store.put(Readable.from([bytes]), { sha256: sha(bytes), sizeBytes: bytes.length })).toMatchObject({ deduplicated: true });
  });
});
