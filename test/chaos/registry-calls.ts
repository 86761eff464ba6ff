import { createHash, randomBytes } from 'node:crypto';
import { bearer } from '@modelreg/testing';

/** What the registry answered: a status, or no answer at all (refused, reset, timed out). */
export interface Answer {
  status: number;
  body: Record<string, any>;
}

const NO_ANSWER: Answer = { status: 0, body: {} };

/**
 * One HTTP call with a deadline, as the test issuer's operator (the fault suite tests recovery, not
 * access control); any transport failure is `status: 0`, never a throw.
 */
export async function call(url: string, init: RequestInit = {}, timeoutMs = 10_000): Promise<Answer> {
  try {
    const response = await fetch(url, {
      ...init,
      headers: { ...bearer(), ...(init.headers as Record<string, string> | undefined) },
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    let body: Record<string, any> = {};
    try {
      body = text ? (JSON.parse(text) as Record<string, any>) : {};
    } catch {
      body = { text };
    }
    return { status: response.status, body };
  } catch {
    return NO_ANSWER;
  }
}

export function postJson(url: string, body: unknown): Promise<Answer> {
  return call(url, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
}

/** Random artifact bytes with their sha256, uploaded (and re-uploaded on retry) under that name. */
export function artifactBytes(sizeBytes: number): { bytes: Buffer; sha256: string; sizeBytes: number } {
  const bytes = randomBytes(sizeBytes);
  return { bytes, sha256: createHash('sha256').update(bytes).digest('hex'), sizeBytes };
}

export function putArtifact(ingestionUrl: string, artifact: { bytes: Buffer; sha256: string }): Promise<Answer> {
  return call(`${ingestionUrl}/v1/artifacts/${artifact.sha256}`, {
    method: 'PUT',
    body: artifact.bytes,
    headers: { 'content-type': 'application/octet-stream' },
  });
}

/** Retries `attempt` (a client's idempotent retry: same ids) until `done` accepts the answer or `deadline` passes. */
export async function retryUntil(
  attempt: () => Promise<Answer>,
  done: (answer: Answer) => boolean,
  deadline: number,
  onAttempt: (answer: Answer) => void = () => undefined,
): Promise<Answer | null> {
  let delay = 100;
  while (Date.now() < deadline) {
    const answer = await attempt();
    onAttempt(answer);
    if (done(answer)) return answer;
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(2000, delay * 2);
  }
  return null;
}
