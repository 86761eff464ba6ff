import { CreateMultipartUploadCommand, HeadBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { createTestEnvironment, stackS3 } from './test-environment';

describe('createTestEnvironment: dispose (real S3-compatible server)', () => {
  it('removes the bucket with its objects and incomplete uploads, so test runs do not fill the disk', async () => {
    const environment = await createTestEnvironment('dispose');
    const env = environment.env;
    const s3 = stackS3(env);
    const bucketStatus = () =>
      s3.send(new HeadBucketCommand({ Bucket: env['S3_BUCKET'] })).then(
        (answer) => answer.$metadata.httpStatusCode,
        (error: { $metadata?: { httpStatusCode?: number } }) => error.$metadata?.httpStatusCode,
      );
    try {
      for (const key of ['a', 'nested/b', 'nested/deeper/c'])
        await s3.send(new PutObjectCommand({ Bucket: env['S3_BUCKET'], Key: key, Body: Buffer.from(key) }));
      await s3.send(new CreateMultipartUploadCommand({ Bucket: env['S3_BUCKET'], Key: 'unfinished' }));
      expect(await bucketStatus()).toBe(200);
      await environment.dispose();
      expect(await bucketStatus()).toBe(404);
    } finally {
      s3.destroy();
    }
  });
});
