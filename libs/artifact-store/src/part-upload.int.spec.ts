import { randomBytes } from 'node:crypto';
import { GetObjectCommand, ListMultipartUploadsCommand, ListObjectsV2Command, UploadPartCommand } from '@aws-sdk/client-s3';
import { readObjectStoreSettings } from '@modelreg/config';
import { createTestEnvironment, type TestEnvironment } from '@modelreg/testing';
import { uploadInParts } from './part-upload';
import { createS3Client } from './s3-client';

const MiB = 1024 * 1024;
/** S3's smallest part but the last. */
const PART = 5 * MiB;

async function* chunked(bytes: Buffer, chunkSize: number, failAfter?: number): AsyncGenerator<Buffer> {
  for (let offset = 0; offset < bytes.length; offset += chunkSize) {
    if (failAfter !== undefined && offset >= failAfter) throw new Error('the client went away');
    // A copy, as a socket hands out fresh chunks: the upload must not keep the caller's memory.
    yield Buffer.from(bytes.subarray(offset, offset + chunkSize));
  }
}

describe('uploadInParts (real S3-compatible server)', () => {
  let environment: TestEnvironment;
  let client: ReturnType<typeof createS3Client>;
  let bucket: string;
  /** The memory each UploadPart's body lives in, as the SDK was handed it. */
  const partMemory: ArrayBufferLike[] = [];

  beforeAll(async () => {
    environment = await createTestEnvironment('part-upload');
    const env = environment.env;
    bucket = env['S3_BUCKET']!;
    client = createS3Client(readObjectStoreSettings(env));
    client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === UploadPartCommand.name) partMemory.push(((args.input as { Body: Buffer }).Body as Buffer).buffer);
        return next(args);
      },
      { step: 'initialize', name: 'recordPartMemory' },
    );
  });
  afterAll(async () => {
    client.destroy();
    await environment.dispose();
  });

  const read = async (key: string) =>
    Buffer.from(await (await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToByteArray());
  const keys = async () => ((await client.send(new ListObjectsV2Command({ Bucket: bucket }))).Contents ?? []).map((o) => o.Key);
  const incompleteUploads = async () => (await client.send(new ListMultipartUploadsCommand({ Bucket: bucket }))).Uploads ?? [];

  it.each([
    ['several parts, chunks straddling part boundaries', 3 * PART + 12_345, 64 * 1024 + 3],
    ['an exact multiple of the part size', 2 * PART, 1 * MiB],
    ['one chunk larger than a part', PART + 1, 3 * PART],
    ['less than a part (one PutObject)', 1000, 300],
    ['no bytes at all', 0, 1],
  ])('stores %s byte for byte', async (_what, size, chunkSize) => {
    const bytes = randomBytes(size);
    const key = `parts/${size}-${chunkSize}`;
    await uploadInParts(client, { bucket, key }, chunked(bytes, chunkSize), { partSize: PART });
    expect((await read(key)).equals(bytes)).toBe(true);
  });

  it('assembles every part in the same few buffers (parts in flight + 1), never one per part', async () => {
    partMemory.length = 0;
    const bytes = randomBytes(9 * PART + 7);
    await uploadInParts(client, { bucket, key: 'parts/reused' }, chunked(bytes, 64 * 1024), { partSize: PART, partsInFlight: 2 });
    expect((await read('parts/reused')).equals(bytes)).toBe(true);
    expect(partMemory).toHaveLength(10);
    expect(new Set(partMemory).size).toBeLessThanOrEqual(3);
  });

  it('a body that fails after parts were sent leaves no object and no incomplete upload', async () => {
    const bytes = randomBytes(4 * PART);
    await expect(uploadInParts(client, { bucket, key: 'parts/broken' }, chunked(bytes, MiB, 3 * PART), { partSize: PART })).rejects.toThrow(
      'the client went away',
    );
    expect(await keys()).not.toContain('parts/broken');
    expect((await incompleteUploads()).map((upload) => upload.Key)).not.toContain('parts/broken');
  });
});
