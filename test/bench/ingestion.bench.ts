import { createHash } from 'node:crypto';
import { createReadStream, mkdtempSync, openSync, closeSync, rmSync, writeSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { exampleRunSubmissionJson } from '@modelreg/lineage';
import { bearer, createTestEnvironment, startService } from '@modelreg/testing';
import { median, peakRssMiB, percentile, round } from './bench-stats';
import { setting, type BenchContext, type BenchResult } from './bench-context';

const MiB = 1024 * 1024;

/** A file of `bytes` deterministic bytes: a random 1 MiB block, each copy stamped with its index. */
function writeLargeFile(path: string, bytes: number): void {
  const block = Buffer.alloc(MiB);
  for (let i = 0; i < MiB; i += 4) block.writeUInt32LE((Math.imul(i, 2654435761) ^ 0x9e3779b9) >>> 0, i);
  const fd = openSync(path, 'w');
  try {
    for (let written = 0, index = 0; written < bytes; index += 1) {
      const chunk = block.subarray(0, Math.min(MiB, bytes - written));
      chunk.writeUInt32LE(index, 0);
      writeSync(fd, chunk);
      written += chunk.length;
    }
  } finally {
    closeSync(fd);
  }
}

/** Makes each repetition's content unique (so nothing is deduplicated) and returns its sha256. */
async function stampAndHash(path: string, repetition: number): Promise<string> {
  const fd = openSync(path, 'r+');
  writeSync(fd, Buffer.from(`rep-${repetition}-${Date.now()}`.padEnd(32, '.')), 0, 32, 8);
  closeSync(fd);
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 4 * MiB })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

function putFile(url: string, path: string, sha256: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}/v1/artifacts/${sha256}`,
      {
        method: 'PUT',
        headers: { ...bearer(), 'content-type': 'application/octet-stream', 'content-length': String(statSync(path).size) },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    pipeline(createReadStream(path, { highWaterMark: MiB }), req).catch(reject);
  });
}

/**
 * BENCH_UPLOAD_BYTES (default 2 GiB), BENCH_UPLOAD_REPEATS (default 3): an artifact streamed
 * through PUT /v1/artifacts against a raw @aws-sdk/lib-storage upload of the same file to the
 * same store, with the ingestion service's peak RSS.
 */
export async function uploadBenchmark(context: BenchContext): Promise<BenchResult> {
  const bytes = setting(context, 'BENCH_UPLOAD_BYTES', 2 * 1024 * MiB);
  const repeats = setting(context, 'BENCH_UPLOAD_REPEATS', 3);
  const environment = await createTestEnvironment('bench-upload');
  const ingestion = await startService('ingestion', { ...environment.env, LOG_LEVEL: 'error' }, { compiled: true });
  const dir = mkdtempSync(join(tmpdir(), 'modelreg-bench-'));
  const file = join(dir, 'artifact.bin');
  const env = environment.env;
  const s3 = new S3Client({
    endpoint: env['S3_ENDPOINT'],
    region: env['S3_REGION'],
    forcePathStyle: true,
    credentials: { accessKeyId: env['S3_ACCESS_KEY_ID'] ?? '', secretAccessKey: env['S3_SECRET_ACCESS_KEY'] ?? '' },
    requestChecksumCalculation: 'WHEN_REQUIRED',
  });
  const api: number[] = [];
  const raw: number[] = [];
  try {
    context.log(`writing a ${round(bytes / MiB, 0)} MiB file`);
    writeLargeFile(file, bytes);
    for (let repetition = 1; repetition <= repeats; repetition += 1) {
      const sha256 = await stampAndHash(file, repetition);
      let started = performance.now();
      const status = await putFile(ingestion.url, file, sha256);
      if (status !== 201) throw new Error(`API upload answered ${status}`);
      api.push(bytes / MiB / ((performance.now() - started) / 1000));
      started = performance.now();
      await new Upload({
        client: s3,
        params: { Bucket: env['S3_BUCKET'], Key: `bench/raw-${repetition}`, Body: createReadStream(file, { highWaterMark: MiB }) },
        partSize: 16 * MiB,
        queueSize: 2,
      }).done();
      raw.push(bytes / MiB / ((performance.now() - started) / 1000));
      context.log(
        `upload ${repetition}/${repeats}: API ${round(api.at(-1) as number)} MiB/s, raw SDK ${round(raw.at(-1) as number)} MiB/s`,
      );
    }
    return {
      name: 'ingestion: artifact upload',
      figures: {
        artifact_mib: round(bytes / MiB, 0),
        repetitions: repeats,
        api_mib_per_s_median: round(median(api)),
        raw_sdk_mib_per_s_median: round(median(raw)),
        api_to_raw_ratio: round(median(api) / median(raw), 3),
        ingestion_peak_rss_mib: peakRssMiB(ingestion.process.pid as number),
      },
      notes: 'API = one multipart upload to the content address, completed only once sha256 and size match; raw = one multipart upload.',
    };
  } finally {
    s3.destroy();
    rmSync(dir, { recursive: true, force: true });
    await ingestion.stop();
    await environment.dispose();
  }
}

/**
 * BENCH_REGISTRATION_SECONDS (default 60), BENCH_REGISTRATION_CONCURRENCY (default 16):
 * metadata-only registrations (the artifact uploaded once), sustained, with latency percentiles.
 */
export async function registrationBenchmark(context: BenchContext): Promise<BenchResult> {
  const seconds = setting(context, 'BENCH_REGISTRATION_SECONDS', 60);
  const concurrency = setting(context, 'BENCH_REGISTRATION_CONCURRENCY', 16);
  const environment = await createTestEnvironment('bench-registrations');
  const ingestion = await startService('ingestion', { ...environment.env, LOG_LEVEL: 'error' }, { compiled: true });
  try {
    const bytes = Buffer.from('bench artifact');
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    await fetch(`${ingestion.url}/v1/artifacts/${sha256}`, {
      method: 'PUT',
      body: bytes,
      headers: { ...bearer(), 'content-type': 'application/octet-stream' },
    });
    const latencies: number[] = [];
    let counter = 0;
    let failures = 0;
    const deadline = performance.now() + seconds * 1000;
    const worker = async () => {
      while (performance.now() < deadline) {
        counter += 1;
        const body = exampleRunSubmissionJson(`bench-model-${counter % 50}`, `bench-run-${counter}`, sha256, bytes.length);
        const started = performance.now();
        const response = await fetch(`${ingestion.url}/v1/runs`, {
          method: 'POST',
          body: JSON.stringify(body),
          headers: { ...bearer(), 'content-type': 'application/json' },
        });
        await response.arrayBuffer();
        if (response.status === 201) latencies.push(performance.now() - started);
        else failures += 1;
      }
    };
    const started = performance.now();
    await Promise.all(Array.from({ length: concurrency }, worker));
    const elapsed = (performance.now() - started) / 1000;
    return {
      name: 'ingestion: metadata-only registrations',
      figures: {
        seconds: round(elapsed, 1),
        concurrency,
        registrations: latencies.length,
        failures,
        registrations_per_s: round(latencies.length / elapsed, 1),
        latency_p50_ms: round(percentile(latencies, 50)),
        latency_p99_ms: round(percentile(latencies, 99)),
      },
    };
  } finally {
    await ingestion.stop();
    await environment.dispose();
  }
}
