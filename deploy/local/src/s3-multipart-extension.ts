import { readFile, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type S3rver from 's3rver';

type Middleware = S3rver['middleware'][number];

/** Where s3rver's filesystem store keeps the parts of an incomplete multipart upload. */
const UPLOADS_DIR = '._S3rver_uploads';

/**
 * s3rver stores multipart uploads but implements neither ListMultipartUploads nor
 * AbortMultipartUpload, so an abandoned upload could never be found or removed. These two
 * operations, as AWS S3, MinIO and Ceph implement them, over s3rver's own upload folders.
 */
export function multipartUploadOperations(directory: string): Middleware {
  return async (ctx, next) => {
    const [bucket, ...keyParts] = ctx.path.split('/').slice(1).map(decodeURIComponent);
    if (!bucket) return next();
    // Clients address the bucket itself as /bucket or /bucket/.
    if (keyParts.length === 1 && keyParts[0] === '') keyParts.pop();
    if (ctx.method === 'GET' && keyParts.length === 0 && 'uploads' in ctx.query)
      return listUploads(ctx, directory, bucket, String(ctx.query['prefix'] ?? ''));
    if (ctx.method === 'DELETE' && keyParts.length > 0 && typeof ctx.query['uploadId'] === 'string')
      return abortUpload(ctx, directory, bucket, keyParts.join('/'), ctx.query['uploadId']);
    return next();
  };
}

async function listUploads(ctx: Parameters<Middleware>[0], directory: string, bucket: string, prefix: string): Promise<void> {
  const dir = join(directory, bucket, UPLOADS_DIR);
  const ids = await readdir(dir).catch(() => [] as string[]);
  const uploads = [];
  for (const id of ids) {
    const key = await readFile(join(dir, id, 'key'), 'utf8').catch(() => null);
    if (key === null || !key.startsWith(prefix)) continue;
    uploads.push({ key, id, initiated: (await stat(join(dir, id, 'key'))).mtime });
  }
  uploads.sort((a, b) => a.key.localeCompare(b.key) || a.initiated.getTime() - b.initiated.getTime());
  const entries = uploads.map((upload) =>
    [
      `<Upload><Key>${xml(upload.key)}</Key><UploadId>${upload.id}</UploadId>`,
      `<Initiated>${upload.initiated.toISOString()}</Initiated><StorageClass>STANDARD</StorageClass></Upload>`,
    ].join(''),
  );
  ctx.type = 'application/xml';
  ctx.body = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<ListMultipartUploadsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">',
    `<Bucket>${xml(bucket)}</Bucket><Prefix>${xml(prefix)}</Prefix>`,
    `<MaxUploads>${Math.max(1000, uploads.length)}</MaxUploads><IsTruncated>false</IsTruncated>`,
    ...entries,
    '</ListMultipartUploadsResult>',
  ].join('');
}

async function abortUpload(
  ctx: Parameters<Middleware>[0],
  directory: string,
  bucket: string,
  key: string,
  uploadId: string,
): Promise<void> {
  const dir = join(directory, bucket, UPLOADS_DIR, uploadId.replace(/[^0-9a-f]/g, ''));
  const stored = await readFile(join(dir, 'key'), 'utf8').catch(() => null);
  if (stored !== key) {
    ctx.status = 404;
    ctx.type = 'application/xml';
    ctx.body = [
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<Error><Code>NoSuchUpload</Code><Message>The specified upload does not exist.</Message>',
      `<UploadId>${xml(uploadId)}</UploadId></Error>`,
    ].join('');
    return;
  }
  await rm(dir, { recursive: true, force: true });
  ctx.status = 204;
}

function xml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
