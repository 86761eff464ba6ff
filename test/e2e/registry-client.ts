import { createHash, randomBytes } from 'node:crypto';
import { exampleRunSubmissionJson } from '@modelreg/lineage';
import { bearer } from '@modelreg/testing';

// These helpers test registry behaviour, not access control: they call with the test issuer's
// operator token (every role); test/e2e/access-control.e2e.spec.ts tests who may call what.

/** Uploads random bytes as an artifact through the ingestion API; returns its sha256 and size. */
export async function uploadArtifact(ingestionUrl: string, sizeBytes = 4096): Promise<{ sha256: string; sizeBytes: number }> {
  const bytes = randomBytes(sizeBytes);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const response = await fetch(`${ingestionUrl}/v1/artifacts/${sha256}`, {
    method: 'PUT',
    body: bytes,
    headers: { ...bearer(), 'content-type': 'application/octet-stream' },
  });
  if (response.status !== 201) throw new Error(`upload failed: ${response.status} ${await response.text()}`);
  return { sha256, sizeBytes };
}

/** POSTs a JSON body; answers the status and the JSON reply. */
export async function postJson(url: string, body: unknown): Promise<{ status: number; body: Record<string, any> }> {
  const response = await fetch(url, {
    method: 'POST',
    body: JSON.stringify(body),
    headers: { ...bearer(), 'content-type': 'application/json' },
  });
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

export function registerRun(ingestionUrl: string, body: Record<string, unknown>): Promise<{ status: number; body: Record<string, any> }> {
  return postJson(`${ingestionUrl}/v1/runs`, body);
}

/** A deployment controller's report to the tracker. */
export function postReport(trackerUrl: string, body: Record<string, unknown>): Promise<{ status: number; body: Record<string, any> }> {
  return postJson(`${trackerUrl}/v1/deployments/reports`, body);
}

/** Uploads an artifact and registers the fraud-model example run with it. */
export async function registerExampleRun(ingestionUrl: string, modelName: string, trainingRunId: string) {
  const artifact = await uploadArtifact(ingestionUrl);
  return registerRun(ingestionUrl, exampleRunSubmissionJson(modelName, trainingRunId, artifact.sha256, artifact.sizeBytes));
}

export async function getJson(url: string): Promise<{ status: number; body: any }> {
  const response = await fetch(url, { headers: bearer() });
  return { status: response.status, body: await response.json() };
}

/**
 * Streams `sizeBytes` of deterministic pseudo-random bytes as an artifact, without holding them in
 * memory: a 1 MiB block repeated with a counter, hashed in a first pass to know the sha256.
 */
export async function uploadLargeArtifact(ingestionUrl: string, sizeBytes: number): Promise<{ sha256: string; sizeBytes: number }> {
  const block = randomBytes(1024 * 1024);
  const chunks = function* () {
    for (let sent = 0, index = 0; sent < sizeBytes; index += 1) {
      const chunk = Buffer.from(block.subarray(0, Math.min(block.length, sizeBytes - sent)));
      chunk.writeUInt32BE(index, 0);
      sent += chunk.length;
      yield chunk;
    }
  };
  const hash = createHash('sha256');
  for (const chunk of chunks()) hash.update(chunk);
  const sha256 = hash.digest('hex');
  const pending = chunks();
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = pending.next();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
  });
  const response = await fetch(`${ingestionUrl}/v1/artifacts/${sha256}`, {
    method: 'PUT',
    body,
    headers: { ...bearer(), 'content-type': 'application/octet-stream', 'content-length': String(sizeBytes) },
    duplex: 'half',
  } as RequestInit);
  if (response.status !== 201) throw new Error(`upload failed: ${response.status} ${await response.text()}`);
  return { sha256, sizeBytes };
}

const COUNTRIES = ['US', 'GB', 'DE', 'FR', 'IN', 'BR'];
const SHARES = [0.3, 0.2, 0.15, 0.1, 0.1, 0.05];

type Stored = { sha256: string; sizeBytes: number };

/**
 * A run body that passes every check of the seed policy unless `overrides` say otherwise: six
 * traffic slices, calibrated, two age groups 0.01 apart in precision, server and mobile under 100 ms.
 */
export function runBody(
  modelName: string,
  trainingRunId: string,
  artifacts: { server: Stored; mobile: Stored },
  overrides: { auc: number; youngPrecision?: number; extraMetrics?: Record<string, number> },
) {
  const body = exampleRunSubmissionJson(modelName, trainingRunId) as Record<string, any>;
  body['artifacts'] = [
    { target: 'server', format: 'SavedModel', ...artifacts.server },
    { target: 'mobile', format: 'TFLite', ...artifacts.mobile },
  ];
  body['metrics'] = {
    overall: { auc: overrides.auc, calibration_slope: 1.0, ...overrides.extraMetrics },
    slices: COUNTRIES.map((country, index) => ({
      slice: `country=${country}`,
      trafficShare: SHARES[index],
      metrics: { calibration_slope: 1 + index * 0.003, auc: overrides.auc },
    })),
    fairness: [
      { attribute: 'age_band', group: '18-25', metrics: { precision: overrides.youngPrecision ?? 0.8 } },
      { attribute: 'age_band', group: '26-40', metrics: { precision: 0.81 } },
    ],
    operational: [
      { target: 'server', p99LatencyMs: 42 },
      { target: 'mobile', p99LatencyMs: 35 },
    ],
  };
  return body;
}
