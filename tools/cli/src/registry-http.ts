import { createReadStream, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export interface Progress {
  start(total: number, label: string): void;
  update(done: number): void;
  stop(): void;
}

/** sha256 of a file, streamed. */
export async function hashFile(path: string, progress: Progress): Promise<string> {
  const hash = createHash('sha256');
  progress.start(statSync(path).size, `hashing ${path}`);
  let done = 0;
  await pipeline(createReadStream(path), new Transform({ transform(chunk: Buffer, _e, callback) { hash.update(chunk); done += chunk.length; progress.update(done); callback(); } }));
  progress.stop();
  return hash.digest('hex');
}

/** PUT a file to the ingestion service as a stream, reporting bytes sent. */
export function uploadFile(baseUrl: string, path: string, sha256: string, progress: Progress): Promise<{ status: number; body: Record<string, unknown> }> {
  const size = statSync(path).size;
  const url = new URL(`/v1/artifacts/${sha256}`, baseUrl);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(url, { method: 'PUT', headers: { 'content-type': 'application/octet-stream', 'content-length': String(size) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} }));
    });
    req.on('error', reject);
    progress.start(size, `uploading ${path}`);
    let sent = 0;
    const meter = new Transform({ transform(chunk: Buffer, _e, callback) { sent += chunk.length; progress.update(sent); callback(null, chunk); } });
    pipeline(createReadStream(path), meter, req).then(() => progress.stop(), reject);
  });
}

export async function postJson(baseUrl: string, path: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(new URL(path, baseUrl), { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

export async function getJson(baseUrl: string, path: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(new URL(path, baseUrl));
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}
