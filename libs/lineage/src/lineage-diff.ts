import type { HyperparameterValue, RunRegistered } from '@modelreg/events';
import { dataSnapshotView, typedHyperparameter, type DataSnapshotView, type HyperparameterType } from './version-view';

/** A version's lineage as the registry stores it: RunRegistered without its envelope. */
export type VersionLineage = Omit<RunRegistered, 'envelope'>;

export interface ValueChange {
  field: string;
  from: unknown;
  to: unknown;
}

/** A hyperparameter that changed: plain values, and the registered type on each side (null where absent). */
export interface HyperparameterChange extends ValueChange {
  fromType: HyperparameterType | null;
  toType: HyperparameterType | null;
}

export interface SetChanges<T> {
  added: T[];
  removed: T[];
  changed: Array<{ key: string; changes: ValueChange[] }>;
}

export interface MetricDelta {
  metric: string;
  from: number | null;
  to: number | null;
  /** to - from, where both exist. */
  delta: number | null;
}

export interface LineageDiff {
  modelName: string;
  fromVersion: number;
  toVersion: number;
  identicalLineage: boolean;
  code: ValueChange[];
  dataSnapshots: SetChanges<DataSnapshotView>;
  features: SetChanges<VersionLineage['features'][number]>;
  hyperparameters: HyperparameterChange[];
  seeds: ValueChange[];
  environment: { fields: ValueChange[]; packages: SetChanges<VersionLineage['environment']['packages'][number]> };
  artifacts: SetChanges<VersionLineage['artifacts'][number]>;
  metrics: {
    overall: MetricDelta[];
    slices: Array<{ slice: string; deltas: MetricDelta[] }>;
    fairness: Array<{ attribute: string; group: string; deltas: MetricDelta[] }>;
    operational: Array<{ target: string; deltas: MetricDelta[] }>;
  };
}

/**
 * What changed from one version to another (typically baseline to candidate): code, data
 * snapshots (ISO 8601 ranges), features and transforms, hyperparameters (plain values, each
 * side's type beside them), seeds, the environment down to each
 * package, driver and CUDA version, artifacts, and every metric delta overall and per slice, group
 * and target. Pure; keys are sorted so equal inputs give equal output.
 */
export function diffLineage(from: VersionLineage, to: VersionLineage): LineageDiff {
  const environmentFields = [
    'fingerprint',
    'cpuModel',
    'gpuModel',
    'gpuCount',
    'gpuDriver',
    'cudaVersion',
    'cudnnVersion',
    'os',
    'kernel',
    'containerImageDigest',
    'lockfileHash',
  ] as const;
  const diff: LineageDiff = {
    modelName: to.modelName,
    fromVersion: from.modelVersion,
    toVersion: to.modelVersion,
    identicalLineage: false,
    code: changedFields(from.code, to.code, ['repository', 'commit', 'codeHash']),
    dataSnapshots: diffSet(from.dataSnapshots.map(dataSnapshotView), to.dataSnapshots.map(dataSnapshotView), (s) => s.snapshotId, [
      'source',
      'coveredFrom',
      'coveredTo',
    ]),
    features: diffSet(from.features, to.features, (f) => f.name, ['version', 'transformHash']),
    hyperparameters: diffMap(from.hyperparameters, to.hyperparameters).map(typedChange),
    seeds: diffMap(from.seeds, to.seeds),
    environment: {
      fields: changedFields(from.environment, to.environment, environmentFields),
      packages: diffSet(from.environment.packages, to.environment.packages, (p) => `${p.ecosystem}:${p.name}`, ['version']),
    },
    artifacts: diffSet(from.artifacts, to.artifacts, (a) => a.target, ['format', 'sizeBytes', 'sha256', 'storageUri']),
    metrics: {
      overall: metricDeltas(from.metrics.overall, to.metrics.overall),
      slices: pairBy(from.metrics.slices, to.metrics.slices, (s) => s.slice).map(([key, a, b]) => ({
        slice: key,
        deltas: metricDeltas({ ...a?.metrics, traffic_share: a?.trafficShare }, { ...b?.metrics, traffic_share: b?.trafficShare }),
      })),
      fairness: pairBy(from.metrics.fairness, to.metrics.fairness, (g) => `${g.attribute}\u0000${g.group}`).map(([key, a, b]) => {
        const [attribute, group] = key.split('\u0000') as [string, string];
        return { attribute, group, deltas: metricDeltas(a?.metrics ?? {}, b?.metrics ?? {}) };
      }),
      operational: pairBy(from.metrics.operational, to.metrics.operational, (o) => o.target).map(([key, a, b]) => ({
        target: key,
        deltas: metricDeltas(
          { ...a?.metrics, p99_latency_ms: a?.p99LatencyMs ?? undefined },
          { ...b?.metrics, p99_latency_ms: b?.p99LatencyMs ?? undefined },
        ),
      })),
    },
  };
  diff.identicalLineage =
    diff.code.length + diff.hyperparameters.length + diff.seeds.length + diff.environment.fields.length === 0 &&
    [diff.dataSnapshots, diff.features, diff.environment.packages].every(
      (set) => set.added.length + set.removed.length + set.changed.length === 0,
    );
  return diff;
}

function changedFields<T extends object>(from: T, to: T, fields: readonly (keyof T & string)[]): ValueChange[] {
  return fields
    .filter((field) => !sameValue(from[field], to[field]))
    .map((field) => ({ field, from: from[field] ?? null, to: to[field] ?? null }));
}

function diffMap(from: Record<string, unknown>, to: Record<string, unknown>): ValueChange[] {
  return sortedKeys(from, to)
    .filter((key) => !sameValue(from[key], to[key]))
    .map((key) => ({ field: key, from: from[key] ?? null, to: to[key] ?? null }));
}

function typedChange(change: ValueChange): HyperparameterChange {
  const from = change.from === null ? null : typedHyperparameter(change.from as HyperparameterValue);
  const to = change.to === null ? null : typedHyperparameter(change.to as HyperparameterValue);
  return { field: change.field, from: from?.value ?? null, to: to?.value ?? null, fromType: from?.type ?? null, toType: to?.type ?? null };
}

function diffSet<T extends object>(
  from: readonly T[],
  to: readonly T[],
  keyOf: (item: T) => string,
  fields: readonly (keyof T & string)[],
): SetChanges<T> {
  const result: SetChanges<T> = { added: [], removed: [], changed: [] };
  for (const [key, a, b] of pairBy(from, to, keyOf)) {
    if (!a) result.added.push(b as T);
    else if (!b) result.removed.push(a);
    else {
      const changes = changedFields(a, b, fields);
      if (changes.length > 0) result.changed.push({ key, changes });
    }
  }
  return result;
}

function metricDeltas(from: Record<string, number | undefined>, to: Record<string, number | undefined>): MetricDelta[] {
  return sortedKeys(from, to)
    .filter((metric) => from[metric] !== undefined || to[metric] !== undefined)
    .map((metric) => {
      const a = from[metric] ?? null;
      const b = to[metric] ?? null;
      return { metric, from: a, to: b, delta: a !== null && b !== null ? b - a : null };
    });
}

function pairBy<T>(from: readonly T[], to: readonly T[], keyOf: (item: T) => string): Array<[string, T | undefined, T | undefined]> {
  const a = new Map(from.map((item) => [keyOf(item), item]));
  const b = new Map(to.map((item) => [keyOf(item), item]));
  return [...new Set([...a.keys(), ...b.keys()])].sort().map((key) => [key, a.get(key), b.get(key)]);
}

function sortedKeys(...objects: Array<Record<string, unknown>>): string[] {
  return [...new Set(objects.flatMap((object) => Object.keys(object)))].sort();
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}
