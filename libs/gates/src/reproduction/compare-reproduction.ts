import {
  buildEnvelope,
  type EventOrigin,
  type LineageDifference,
  type ReproducedArtifact,
  type ReproducedMetric,
  type ReproductionOutcome,
  type ReproductionRecorded,
} from '@modelreg/events';
import { diffLineage, type LineageDiff, type SetChanges, type ValueChange, type VersionLineage } from '@modelreg/lineage';
import { canonicalJson } from '@modelreg/validation';
import { decisionId } from '../decision-id';
import { compareDeviation, formatNumber } from '../evaluation/bound-comparison';
import type { GatePolicy } from '../policy/gate-policy';
import { policyContentHash } from '../policy/policy-selection';

/** Command: compare a reproduction run with the version it reproduces. Time and ids are inputs. */
export interface RecordReproduction {
  original: VersionLineage;
  reproduction: VersionLineage;
  policy: GatePolicy;
  occurredAt: number;
  producer: string;
  /** The registration's origin: who asked for the run that reproduces, carried into the record. */
  origin: EventOrigin;
  causationId: string | null;
}

/** Lineage fields that are the run's inputs: a reproduction with other inputs is not one. */
const INPUT_FIELDS = /^(code|dataSnapshots|features|hyperparameters|seeds)\b/;

/**
 * Compares a reproduction with the original: artifact digests per target, every overall metric
 * (within the policy's `reproduction.metricTolerance`, else exactly), the lineage diff and the
 * environment fingerprint. EXACT: nothing differs; DIVERGED: a metric beyond its tolerance or
 * missing, a target missing, or different inputs (code, data, features, hyperparameters, seeds);
 * otherwise WITHIN_TOLERANCE (other bytes, another environment, metrics within tolerance). Pure.
 */
export function recordReproduction(command: RecordReproduction): ReproductionRecorded {
  const { original, reproduction, policy } = command;
  const artifacts = compareArtifacts(original, reproduction);
  const metrics = compareMetrics(original, reproduction, policy);
  const lineageDifferences = lineageDifferencesOf(diffLineage(original, reproduction));
  const environment = {
    originalFingerprint: original.environment.fingerprint,
    reproducedFingerprint: reproduction.environment.fingerprint,
    identical: original.environment.fingerprint === reproduction.environment.fingerprint,
  };
  const diverging = [
    ...artifacts
      .filter((artifact) => !artifact.originalSha256 || !artifact.reproducedSha256)
      .map(
        (artifact) =>
          `the ${artifact.target} artifact is ${artifact.originalSha256 ? 'missing from the reproduction' : 'not in the original'}`,
      ),
    ...metrics.filter((metric) => metric.outcome === 'DIVERGED' || metric.outcome === 'MISSING').map(metricSentence),
    ...lineageDifferences.filter((difference) => INPUT_FIELDS.test(difference.field)).map(differenceSentence),
  ];
  const tolerated = [
    ...artifacts
      .filter((artifact) => !artifact.identical && artifact.originalSha256 && artifact.reproducedSha256)
      .map((artifact) => `the ${artifact.target} artifact's bytes differ (${artifact.originalSha256} → ${artifact.reproducedSha256})`),
    ...metrics.filter((metric) => metric.outcome === 'WITHIN_TOLERANCE').map(metricSentence),
    ...lineageDifferences.filter((difference) => !INPUT_FIELDS.test(difference.field)).map(differenceSentence),
  ];
  const outcome: ReproductionOutcome =
    diverging.length > 0 ? 'DIVERGED' : tolerated.length > 0 || !environment.identical ? 'WITHIN_TOLERANCE' : 'EXACT';
  const policyReference = { policyId: policy.policyId, policyVersion: policy.version, contentHash: policyContentHash(policy) };
  const eventId = decisionId({
    reproduction: reproduction.modelName,
    version: reproduction.modelVersion,
    of: original.modelVersion,
    causationId: command.causationId,
    policyHash: policyReference.contentHash,
  });
  return {
    envelope: buildEnvelope('ReproductionRecorded', {
      eventId,
      occurredAt: command.occurredAt,
      producer: command.producer,
      ...command.origin,
      causationId: command.causationId,
      modelName: reproduction.modelName,
      modelVersion: reproduction.modelVersion,
    }),
    modelName: reproduction.modelName,
    modelVersion: reproduction.modelVersion,
    reproducedVersion: original.modelVersion,
    outcome,
    policy: policyReference,
    artifacts,
    metrics,
    lineageDifferences,
    environment,
    differences: [...diverging, ...tolerated],
  };
}

function compareArtifacts(original: VersionLineage, reproduction: VersionLineage): ReproducedArtifact[] {
  const targets = [...new Set([...original.artifacts, ...reproduction.artifacts].map((artifact) => artifact.target))].sort();
  return targets.map((target) => {
    const originalSha256 = original.artifacts.find((artifact) => artifact.target === target)?.sha256 ?? null;
    const reproducedSha256 = reproduction.artifacts.find((artifact) => artifact.target === target)?.sha256 ?? null;
    return { target, originalSha256, reproducedSha256, identical: originalSha256 !== null && originalSha256 === reproducedSha256 };
  });
}

function compareMetrics(original: VersionLineage, reproduction: VersionLineage, policy: GatePolicy): ReproducedMetric[] {
  const names = [...new Set([...Object.keys(original.metrics.overall), ...Object.keys(reproduction.metrics.overall)])].sort();
  return names.map((metric) => {
    const a = original.metrics.overall[metric] ?? null;
    const b = reproduction.metrics.overall[metric] ?? null;
    const deviation = policy.reproduction?.metricTolerance[metric];
    const allowed = deviation ? compareDeviation(0, a ?? 0, deviation, policy.tolerance).comparator : 'exact';
    if (a === null || b === null) return { metric, original: a, reproduced: b, difference: null, allowed, outcome: 'MISSING' };
    const difference = Math.abs(b - a);
    if (difference === 0) return { metric, original: a, reproduced: b, difference, allowed, outcome: 'EXACT' };
    const breached = deviation ? compareDeviation(difference, a, deviation, policy.tolerance).breached : difference > policy.tolerance;
    return { metric, original: a, reproduced: b, difference, allowed, outcome: breached ? 'DIVERGED' : 'WITHIN_TOLERANCE' };
  });
}

/** The lineage diff flattened to fields (`code.commit`, `seeds.numpy`, `environment.packages.pypi:torch`), values as canonical JSON. */
function lineageDifferencesOf(diff: LineageDiff): LineageDifference[] {
  const json = (value: unknown) => (value === null || value === undefined ? null : canonicalJson(value));
  const values = (prefix: string, changes: ValueChange[]) =>
    changes.map((change) => ({ field: `${prefix}.${change.field}`, original: json(change.from), reproduced: json(change.to) }));
  const set = <T>(prefix: string, changes: SetChanges<T>, keyOf: (item: T) => string) => [
    ...changes.removed.map((item) => ({ field: `${prefix}.${keyOf(item)}`, original: json(item), reproduced: null })),
    ...changes.added.map((item) => ({ field: `${prefix}.${keyOf(item)}`, original: null, reproduced: json(item) })),
    ...changes.changed.flatMap((change) => values(`${prefix}.${change.key}`, change.changes)),
  ];
  return [
    ...values('code', diff.code),
    ...set('dataSnapshots', diff.dataSnapshots, (snapshot) => snapshot.snapshotId),
    ...set('features', diff.features, (feature) => feature.name),
    ...values('hyperparameters', diff.hyperparameters),
    ...values('seeds', diff.seeds),
    ...values(
      'environment',
      diff.environment.fields.filter((change) => change.field !== 'fingerprint'),
    ),
    ...set('environment.packages', diff.environment.packages, (pkg) => `${pkg.ecosystem}:${pkg.name}`),
  ];
}

function metricSentence(metric: ReproducedMetric): string {
  if (metric.outcome === 'MISSING')
    return `${metric.metric} is ${metric.original === null ? 'not in the original' : 'missing from the reproduction'}`;
  const verdict = metric.outcome === 'DIVERGED' ? 'beyond' : 'within';
  return (
    `${metric.metric} ${formatNumber(metric.reproduced as number)} vs ${formatNumber(metric.original as number)}: ` +
    `difference ${formatNumber(metric.difference as number)}, ` +
    `${verdict} ${metric.allowed === 'exact' ? 'the comparison tolerance' : `the allowed ${metric.allowed}`}`
  );
}

function differenceSentence(difference: LineageDifference): string {
  return `${difference.field} differs: ${difference.original ?? '(absent)'} → ${difference.reproduced ?? '(absent)'}`;
}
