import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  UploadPartCommand,
  type CompletedPart,
  type S3Client,
} from '@aws-sdk/client-s3';

/** 8 MiB parts, two in flight: an upload of any size holds three part buffers (24 MiB) of body. */
const PART_SIZE = 8 * 1024 * 1024;
const PARTS_IN_FLIGHT = 2;

/**
 * Uploads `body` to `key`: bytes that fit one part as one PutObject once `body` has ended, anything
 * larger as a multipart upload completed only once `body` has ended. A body that fails (the
 * verifying stream of ContentAddressedStore.put rejects wrong bytes before it ends) leaves nothing
 * visible: the multipart upload is aborted, and what an outage keeps from being aborted the store's
 * sweep removes later.
 *
 * Parts are assembled in `partsInFlight + 1` buffers reused for the whole upload, where
 * @aws-sdk/lib-storage concatenates a fresh buffer for every part: a 2 GiB upload allocated 256
 * buffers of 8 MiB, and the ingestion service spent a quarter of its time collecting them
 * (docs/BENCHMARKS.md). A buffer is filled again only after the part sent from it was answered, so
 * the SDK's retries of that part resend the same bytes.
 */
export async function uploadInParts(
  client: S3Client,
  target: { bucket: string; key: string },
  body: AsyncIterable<Buffer>,
  options: { partSize?: number; partsInFlight?: number } = {},
): Promise<void> {
  const partSize = options.partSize ?? PART_SIZE;
  const partsInFlight = options.partsInFlight ?? PARTS_IN_FLIGHT;
  const object = { Bucket: target.bucket, Key: target.key };
  const spare: Buffer[] = [];
  const completed: CompletedPart[] = [];
  const inFlight = new Set<Promise<void>>();
  let failure: { error: unknown } | undefined;
  let uploadId: string | undefined;
  let buffer: Buffer = Buffer.allocUnsafe(partSize);
  let filled = 0;

  // A full part's buffer is filled again once answered; the last, shorter part is never reused.
  const send = (data: Buffer, partNumber: number) => {
    const sending: Promise<void> = client
      .send(new UploadPartCommand({ ...object, UploadId: uploadId, PartNumber: partNumber, Body: data, ContentLength: data.length }))
      .then(
        (answer) => {
          completed.push({ PartNumber: partNumber, ETag: answer.ETag });
          if (data.length === partSize) spare.push(data);
        },
        (error: unknown) => {
          failure ??= { error };
        },
      )
      .finally(() => inFlight.delete(sending));
    inFlight.add(sending);
  };
  const throwIfFailed = () => {
    if (failure) throw failure.error;
  };

  try {
    let partNumber = 0;
    for await (const chunk of body) {
      throwIfFailed();
      for (let offset = 0; offset < chunk.length;) {
        const copied = chunk.copy(buffer, filled, offset);
        filled += copied;
        offset += copied;
        if (filled < partSize) continue;
        uploadId ??= (await client.send(new CreateMultipartUploadCommand(object))).UploadId;
        send(buffer, ++partNumber);
        while (inFlight.size >= partsInFlight) await Promise.race(inFlight);
        throwIfFailed();
        buffer = spare.pop() ?? Buffer.allocUnsafe(partSize);
        filled = 0;
      }
    }
    // The body has ended, so its bytes were verified: only now may anything become visible.
    if (uploadId === undefined) {
      await client.send(new PutObjectCommand({ ...object, Body: buffer.subarray(0, filled), ContentLength: filled }));
      return;
    }
    if (filled > 0) send(buffer.subarray(0, filled), ++partNumber);
    await Promise.all(inFlight);
    throwIfFailed();
    completed.sort((a, b) => (a.PartNumber ?? 0) - (b.PartNumber ?? 0));
    await client.send(new CompleteMultipartUploadCommand({ ...object, UploadId: uploadId, MultipartUpload: { Parts: completed } }));
  } catch (error) {
    await Promise.all(inFlight);
    if (uploadId !== undefined)
      await client.send(new AbortMultipartUploadCommand({ ...object, UploadId: uploadId })).catch(() => undefined);
    throw error;
  }
}
