import type {
  CodeVersion,
  DataSnapshot,
  EnvironmentFingerprint,
  FeatureDefinition,
  GroupMetrics,
  HyperparameterValue,
  ResolvedPackage,
  RunRegistered,
  SliceMetrics,
  TargetOperationalMetrics,
  ValidationMetrics,
} from '@modelreg/events';
import { computeEnvironmentFingerprint } from './environment-fingerprint';
import { canonicalJson, FieldReader, isValidModelName, metricEntries, MODEL_NAME_HINT, type Validated } from '@modelreg/validation';

/** An artifact the caller declares; its bytes are verified against the store before registration. */
export interface DeclaredArtifact {
  target: string;
  format: string;
  sizeBytes: number;
  sha256: string;
  /** An OpenSSF model-signing bundle (the tool's `model.sig`, as JSON) signing these bytes; checked at registration. */
  signatureBundle?: Record<string, unknown>;
}

/**
 * A validated request to register a training run (HTTP body or run-submission event): a RunRegistered to be,
 * before the registry assigns its version and storage.
 */
export type RunSubmission = Omit<RunRegistered, 'envelope' | 'modelVersion' | 'registeredAt' | 'artifacts'> & {
  artifacts: DeclaredArtifact[];
};

const SHA256 = /^[0-9a-f]{64}$/;
const IDENT = /^[A-Za-z0-9][A-Za-z0-9._:@+=,-]*$/;
const IDENT_HINT = 'must be letters, digits and ._:@+=,- only';
const TARGET = /^[a-z][a-z0-9_-]{0,31}$/;
/** Metrics conventionally bounded to [0, 1]: an AUC of 1.3 is a bug upstream, not a great model. */
const UNIT_INTERVAL_METRICS = new Set([
  'auc',
  'roc_auc',
  'pr_auc',
  'accuracy',
  'precision',
  'recall',
  'f1',
  'ctr',
  'precision_at_10',
  'recall_at_10',
  'ndcg_at_20',
  'ndcg_at_10',
  'map',
]);
const MAX_ARTIFACT_BYTES = 1024 ** 4;
const MAX_SEEDS = 64;
const MAX_LABEL_VALUE_CHARS = 1024;
/** A signature bundle's canonical JSON: a directory manifest of a few thousand files fits. */
const MAX_SIGNATURE_BUNDLE_CHARS = 512 * 1024;

export function validateRunSubmission(input: unknown): Validated<RunSubmission> {
  const r = new FieldReader();
  const body = r.object(input, 'body') ?? {};
  const modelName = r.text(body['modelName'], 'modelName', { max: 128 });
  if (modelName !== undefined && !isValidModelName(modelName)) r.fail('modelName', MODEL_NAME_HINT);
  const value: RunSubmission = {
    modelName: modelName ?? '',
    trainingRunId: r.text(body['trainingRunId'], 'trainingRunId', { max: 200, pattern: IDENT, patternHint: IDENT_HINT }) ?? '',
    artifacts: readArtifacts(r, body['artifacts']),
    code: readCode(r, body['code']),
    dataSnapshots: readSnapshots(r, body['dataSnapshots']),
    features: readFeatures(r, body['features']),
    hyperparameters: readHyperparameters(r, body['hyperparameters']),
    seeds: readSeeds(r, body['seeds']),
    environment: readEnvironment(r, body['environment']),
    metrics: readMetrics(r, body['metrics']),
    labels: readStringMap(r, body['labels'] ?? {}, 'labels'),
  };
  // Set only when given, so the request hash of every other registration stays what it was (idempotent retries).
  if (body['reproductionOf'] !== undefined && body['reproductionOf'] !== null) {
    value.reproductionOf = r.number(body['reproductionOf'], 'reproductionOf', { min: 1, max: 2_147_483_647, integer: true }) ?? null;
  }
  return r.result(value);
}

function readArtifacts(r: FieldReader, input: unknown): DeclaredArtifact[] {
  const items = r.array(input, 'artifacts', { min: 1, max: 16 }) ?? [];
  const artifacts = items.map((item, index) => {
    const field = `artifacts[${index}]`;
    const artifact = r.object(item, field) ?? {};
    for (const key of ['storageUri', 'url', 'uri', 'path']) {
      if (artifact[key] !== undefined)
        r.fail(
          `${field}.${key}`,
          'is not accepted: artifacts are referenced by sha256 of bytes uploaded to the registry, never by a URL or path',
        );
    }
    const signatureBundle = readSignatureBundle(r, artifact['signature'], `${field}.signature`);
    return {
      ...(signatureBundle ? { signatureBundle } : {}),
      target:
        r.text(artifact['target'], `${field}.target`, {
          max: 32,
          pattern: TARGET,
          patternHint: 'must be a lower-case identifier such as server or mobile',
        }) ?? '',
      format: r.text(artifact['format'], `${field}.format`, { max: 64, pattern: IDENT, patternHint: IDENT_HINT }) ?? '',
      sizeBytes: r.number(artifact['sizeBytes'], `${field}.sizeBytes`, { min: 1, max: MAX_ARTIFACT_BYTES, integer: true }) ?? 0,
      sha256:
        r.text(artifact['sha256'], `${field}.sha256`, { max: 64, pattern: SHA256, patternHint: 'must be 64 lower-case hex digits' }) ?? '',
    };
  });
  const targets = artifacts.map((artifact) => artifact.target);
  targets.forEach((target, index) => {
    if (target && targets.indexOf(target) !== index) r.fail(`artifacts[${index}].target`, `duplicates target ${target}`);
  });
  return artifacts;
}

/** The bundle is kept as sent (canonical JSON); whether it is well formed and matches the bytes is recorded, not refused. */
function readSignatureBundle(r: FieldReader, input: unknown, field: string): Record<string, unknown> | undefined {
  if (input === undefined) return undefined;
  const bundle = r.object(input, field);
  if (bundle && canonicalJson(bundle).length > MAX_SIGNATURE_BUNDLE_CHARS)
    r.fail(field, `must be at most ${MAX_SIGNATURE_BUNDLE_CHARS} characters of JSON`);
  return bundle;
}

function readCode(r: FieldReader, input: unknown): CodeVersion {
  const code = r.object(input, 'code') ?? {};
  return {
    repository: r.text(code['repository'], 'code.repository', { max: 512 }) ?? '',
    commit: r.text(code['commit'], 'code.commit', { max: 64, pattern: /^[0-9a-f]{5,64}$/, patternHint: 'must be a hex commit id' }) ?? '',
    codeHash: r.text(code['codeHash'], 'code.codeHash', { max: 128, pattern: IDENT, patternHint: IDENT_HINT }) ?? '',
  };
}

function readSnapshots(r: FieldReader, input: unknown): DataSnapshot[] {
  return (r.array(input, 'dataSnapshots', { min: 1, max: 1000 }) ?? []).map((item, index) => {
    const field = `dataSnapshots[${index}]`;
    const snapshot = r.object(item, field) ?? {};
    const coveredFrom = r.timestamp(snapshot['coveredFrom'], `${field}.coveredFrom`) ?? 0;
    const coveredTo = r.timestamp(snapshot['coveredTo'], `${field}.coveredTo`) ?? 0;
    if (coveredTo < coveredFrom) r.fail(`${field}.coveredTo`, 'must not be before coveredFrom');
    return {
      snapshotId: r.text(snapshot['snapshotId'], `${field}.snapshotId`, { max: 200, pattern: IDENT, patternHint: IDENT_HINT }) ?? '',
      source: r.text(snapshot['source'], `${field}.source`, { max: 512 }) ?? '',
      coveredFrom,
      coveredTo,
    };
  });
}

function readFeatures(r: FieldReader, input: unknown): FeatureDefinition[] {
  return (r.array(input ?? [], 'features', { max: 10_000 }) ?? []).map((item, index) => {
    const field = `features[${index}]`;
    const feature = r.object(item, field) ?? {};
    return {
      name: r.text(feature['name'], `${field}.name`, { max: 200, pattern: IDENT, patternHint: IDENT_HINT }) ?? '',
      version:
        r.text(typeof feature['version'] === 'number' ? String(feature['version']) : feature['version'], `${field}.version`, {
          max: 64,
          pattern: IDENT,
          patternHint: IDENT_HINT,
        }) ?? '',
      transformHash:
        r.text(feature['transformHash'], `${field}.transformHash`, { max: 128, pattern: IDENT, patternHint: IDENT_HINT }) ?? '',
    };
  });
}

/** JSON integers become longs and fractions doubles; `{ "double": 1 }` states a type explicitly. */
function readHyperparameters(r: FieldReader, input: unknown): Record<string, HyperparameterValue> {
  const out: Record<string, HyperparameterValue> = {};
  for (const [name, raw] of r.entries(input ?? {}, 'hyperparameters', { maxKeyChars: 200, pattern: IDENT, patternHint: IDENT_HINT })) {
    const field = `hyperparameters.${name}`;
    if (typeof raw === 'boolean') out[name] = { boolean: raw };
    else if (typeof raw === 'string') out[name] = { string: r.text(raw, field, { max: 4096 }) ?? '' };
    else if (typeof raw === 'number') {
      const value = r.number(raw, field) ?? 0;
      out[name] = Number.isSafeInteger(value) ? { long: value } : { double: value };
    } else if (raw !== null && typeof raw === 'object' && Object.keys(raw).length === 1 && ('long' in raw || 'double' in raw)) {
      const typed = raw as { long?: unknown; double?: unknown };
      out[name] =
        'long' in typed
          ? { long: r.number(typed.long, `${field}.long`, { integer: true }) ?? 0 }
          : { double: r.number(typed.double, `${field}.double`) ?? 0 };
    } else r.fail(field, 'must be a boolean, number, string, {"long": n} or {"double": x}');
  }
  return out;
}

/** Seeds up to 2^64 - 1 (as torch allows), carried as decimal strings. */
function readSeeds(r: FieldReader, input: unknown): Record<string, string> {
  const seeds = r.object(input, 'seeds') ?? {};
  if (input !== undefined && Object.keys(seeds).length === 0)
    r.fail('seeds', 'must name at least one seed (e.g. framework, numpy, python, dataloader)');
  const out: Record<string, string> = {};
  for (const [name, raw] of r.entries(seeds, 'seeds', { maxEntries: MAX_SEEDS, maxKeyChars: 128 })) {
    const field = `seeds.${name}`;
    const text = typeof raw === 'number' && Number.isSafeInteger(raw) ? String(raw) : raw;
    if (typeof text !== 'string' || !/^\d{1,20}$/.test(text) || BigInt(text) > 0xffffffffffffffffn)
      r.fail(field, 'must be an integer in [0, 2^64 - 1] (a decimal string above 2^53)');
    else out[name] = BigInt(text).toString();
  }
  return out;
}

function readEnvironment(r: FieldReader, input: unknown): EnvironmentFingerprint {
  const env = r.object(input, 'environment') ?? {};
  const packages: ResolvedPackage[] = (r.array(env['packages'] ?? [], 'environment.packages', { max: 20_000 }) ?? []).map((item, index) => {
    const pkg = r.object(item, `environment.packages[${index}]`) ?? {};
    return {
      name: r.text(pkg['name'], `environment.packages[${index}].name`, { max: 214 }) ?? '',
      version: r.text(pkg['version'], `environment.packages[${index}].version`, { max: 128 }) ?? '',
      ecosystem: r.optionalText(pkg['ecosystem'], `environment.packages[${index}].ecosystem`, { max: 32 }) ?? 'pypi',
    };
  });
  const facts = {
    cpuModel: r.text(env['cpuModel'], 'environment.cpuModel', { max: 256 }) ?? '',
    gpuModel: r.optionalText(env['gpuModel'], 'environment.gpuModel', { max: 256 }),
    gpuCount:
      env['gpuCount'] === undefined ? 0 : (r.number(env['gpuCount'], 'environment.gpuCount', { min: 0, max: 4096, integer: true }) ?? 0),
    gpuDriver: r.optionalText(env['gpuDriver'], 'environment.gpuDriver', { max: 64 }),
    cudaVersion: r.optionalText(env['cudaVersion'], 'environment.cudaVersion', { max: 32 }),
    cudnnVersion: r.optionalText(env['cudnnVersion'], 'environment.cudnnVersion', { max: 32 }),
    os: r.text(env['os'], 'environment.os', { max: 256 }) ?? '',
    kernel: r.text(env['kernel'], 'environment.kernel', { max: 256 }) ?? '',
    containerImageDigest: r.optionalText(env['containerImageDigest'], 'environment.containerImageDigest', {
      max: 80,
      pattern: /^sha256:[0-9a-f]{64}$/,
      patternHint: 'must be sha256:<64 hex digits>',
    }),
    lockfileHash: r.optionalText(env['lockfileHash'], 'environment.lockfileHash', { max: 128 }),
    packages,
  };
  const fingerprint = computeEnvironmentFingerprint(facts);
  if (env['fingerprint'] !== undefined && env['fingerprint'] !== fingerprint) {
    r.fail(
      'environment.fingerprint',
      `does not match the environment facts (expected ${fingerprint}); omit it to let the registry compute it`,
    );
  }
  return { fingerprint, ...facts };
}

function readMetrics(r: FieldReader, input: unknown): ValidationMetrics {
  const metrics = r.object(input, 'metrics') ?? {};
  const overall = readMetricValues(r, metrics['overall'], 'metrics.overall', true);
  const slices: SliceMetrics[] = (r.array(metrics['slices'] ?? [], 'metrics.slices', { max: 10_000 }) ?? []).map((item, index) => {
    const field = `metrics.slices[${index}]`;
    const slice = r.object(item, field) ?? {};
    return {
      slice: r.text(slice['slice'], `${field}.slice`, { max: 256 }) ?? '',
      trafficShare: r.number(slice['trafficShare'], `${field}.trafficShare`, { min: 0, max: 1 }) ?? 0,
      metrics: readMetricValues(r, slice['metrics'], `${field}.metrics`, true),
    };
  });
  const shareSum = slices.reduce((sum, slice) => sum + slice.trafficShare, 0);
  if (shareSum > 1 + 1e-9) r.fail('metrics.slices', `traffic shares sum to ${Number(shareSum.toFixed(6))}, more than 1`);
  const fairness: GroupMetrics[] = (r.array(metrics['fairness'] ?? [], 'metrics.fairness', { max: 10_000 }) ?? []).map((item, index) => {
    const field = `metrics.fairness[${index}]`;
    const group = r.object(item, field) ?? {};
    return {
      attribute: r.text(group['attribute'], `${field}.attribute`, { max: 128 }) ?? '',
      group: r.text(group['group'], `${field}.group`, { max: 128 }) ?? '',
      metrics: readMetricValues(r, group['metrics'], `${field}.metrics`, true),
    };
  });
  const operational: TargetOperationalMetrics[] = (r.array(metrics['operational'] ?? [], 'metrics.operational', { max: 64 }) ?? []).map(
    (item, index) => {
      const field = `metrics.operational[${index}]`;
      const target = r.object(item, field) ?? {};
      return {
        target:
          r.text(target['target'], `${field}.target`, {
            max: 32,
            pattern: TARGET,
            patternHint: 'must be a lower-case identifier such as server or mobile',
          }) ?? '',
        p99LatencyMs:
          target['p99LatencyMs'] === undefined
            ? null
            : (r.number(target['p99LatencyMs'], `${field}.p99LatencyMs`, { min: 0, max: 3_600_000 }) ?? null),
        metrics: readMetricValues(r, target['metrics'] ?? {}, `${field}.metrics`, false),
      };
    },
  );
  return { overall, slices, fairness, operational };
}

function readMetricValues(r: FieldReader, input: unknown, field: string, required: boolean): Record<string, number> {
  const values = r.object(input, field) ?? {};
  if (required && input !== undefined && Object.keys(values).length === 0) r.fail(field, 'must hold at least one metric');
  const out: Record<string, number> = {};
  for (const entry of metricEntries(r, values, field)) {
    const bounds = UNIT_INTERVAL_METRICS.has(entry.metric) ? { min: 0, max: 1 } : {};
    const value = r.number(entry.value, entry.field, bounds);
    if (value !== undefined) out[entry.metric] = value;
  }
  return out;
}

/** Labels: free-form keys and values, each storable and bounded. */
function readStringMap(r: FieldReader, input: unknown, field: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, raw] of r.entries(input, field)) {
    const value = r.text(raw, `${field}.${key}`, { max: MAX_LABEL_VALUE_CHARS });
    if (value !== undefined) out[key] = value;
  }
  return out;
}
