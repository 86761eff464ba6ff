import { createReadStream, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CliError } from './cli-arguments';
import type { Progress } from './progress';

export interface HttpReply {
  status: number;
  body: Record<string, unknown>;
}

/** The registry could not be reached at all: says where it looked and what to do. */
export function unreachable(url: string | URL, error: unknown, setting: string): CliError {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause ?? (error as { code?: string; message?: string });
  const why = cause.code ?? cause.message ?? String(error);
  return new CliError(
    `cannot reach the registry at ${new URL(url).origin} (${why}). Is it running? Start it with \`npm start\`, or point ${setting} at it.`,
  );
}

/** Where a command calls: the service's base URL and the bearer token it sends (null: none). */
export interface RegistryEndpoint {
  url: string;
  token: string | null;
}

function authorization(endpoint: RegistryEndpoint): Record<string, string> {
  return endpoint.token ? { authorization: `Bearer ${endpoint.token}` } : {};
}

async function request(endpoint: RegistryEndpoint, path: string, init: RequestInit, setting: string): Promise<HttpReply> {
  const url = new URL(path, endpoint.url);
  let response: Response;
  try {
    response = await fetch(url, { ...init, headers: { ...authorization(endpoint), ...(init.headers as Record<string, string>) } });
  } catch (error) {
    throw unreachable(url, error, setting);
  }
  return parseReply(response.status, await response.text());
}

/** A reply's JSON body; a body that is not JSON (a proxy's error page) becomes its first 500 characters. */
function parseReply(status: number, text: string): HttpReply {
  try {
    return { status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  } catch {
    return { status, body: { message: text.slice(0, 500) } };
  }
}

export function postJson(endpoint: RegistryEndpoint, path: string, body: unknown, setting: string): Promise<HttpReply> {
  return request(endpoint, path, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }, setting);
}

export function getJson(endpoint: RegistryEndpoint, path: string, setting: string): Promise<HttpReply> {
  return request(endpoint, path, { headers: { accept: 'application/json' } }, setting);
}

/** sha256 of a file, streamed, with progress. */
export async function hashFile(path: string, progress: Progress): Promise<string> {
  const hash = createHash('sha256');
  progress.start(statSync(path).size, `hashing ${path}`);
  let done = 0;
  await pipeline(
    createReadStream(path),
    new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        hash.update(chunk);
        done += chunk.length;
        progress.update(done);
        callback();
      },
    }),
  );
  progress.stop();
  return hash.digest('hex');
}

/** PUT a file to the ingestion service as a stream, reporting bytes sent. */
export function uploadFile(
  endpoint: RegistryEndpoint,
  path: string,
  sha256: string,
  progress: Progress,
  setting: string,
): Promise<HttpReply> {
  const size = statSync(path).size;
  const url = new URL(`/v1/artifacts/${sha256}`, endpoint.url);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      url,
      {
        method: 'PUT',
        headers: { ...authorization(endpoint), 'content-type': 'application/octet-stream', 'content-length': String(size) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve(parseReply(res.statusCode ?? 0, text)));
      },
    );
    req.on('error', (error) => reject(unreachable(url, error, setting)));
    progress.start(size, `uploading ${path}`);
    let sent = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        sent += chunk.length;
        progress.update(sent);
        callback(null, chunk);
      },
    });
    pipeline(createReadStream(path), meter, req).then(
      () => progress.stop(),
      (error: unknown) => reject(unreachable(url, error, setting)),
    );
  });
}
