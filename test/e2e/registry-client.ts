import { createHash, randomBytes } from 'node:crypto';
import { exampleRunSubmissionJson } from '@modelreg/lineage';

/** Uploads random bytes as an artifact through the ingestion API; returns its sha256 and size. */
export async function uploadArtifact(ingestionUrl: string, sizeBytes = 4096): Promise<{ sha256: string; sizeBytes: number }> {
  const bytes = randomBytes(sizeBytes);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const response = await fetch(`${ingestionUrl}/v1/artifacts/${sha256}`, { method: 'PUT', body: bytes, headers: { 'content-type': 'application/octet-stream' } });
  if (response.status !== 201) throw new Error(`upload failed: ${response.status} ${await response.text()}`);
  return { sha256, sizeBytes };
}

export async function registerRun(ingestionUrl: string, body: Record<string, unknown>): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${ingestionUrl}/v1/runs`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Uploads an artifact and registers the fraud-model example run with it. */
export async function registerExampleRun(ingestionUrl: string, modelName: string, trainingRunId: string) {
  const artifact = await uploadArtifact(ingestionUrl);
  return registerRun(ingestionUrl, exampleRunSubmissionJson(modelName, trainingRunId, artifact.sha256, artifact.sizeBytes));
}

export async function getJson(url: string): Promise<{ status: number; body: any }> {
  const response = await fetch(url);
  return { status: response.status, body: await response.json() };
}
