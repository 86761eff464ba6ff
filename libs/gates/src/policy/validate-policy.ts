import { FieldReader, metricEntries, readMetricName, type Validated } from '@modelreg/validation';
import { publicKeyProblem, signerKeyId, type TrustedSigner } from '@modelreg/lineage';
import type {
  ReproductionTolerance,
  Bound,
  CanaryGuardrail,
  ChangeRequirement,
  CheckDefinition,
  CheckKind,
  Deviation,
  GatePolicy,
  Guardrails,
  SliceSelection,
} from './gate-policy';

const CHECK_KINDS: readonly CheckKind[] = [
  'metric-threshold',
  'metric-change',
  'slice-threshold',
  'slice-change',
  'group-disparity',
  'artifact-size',
  'artifact-format',
  'artifact-signature',
  'operational',
];
/** Policy ids, check ids and environment names: lower-case identifiers. */
export const POLICY_ID_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}$/;
const ID = POLICY_ID_PATTERN;
const TARGET = /^[a-z][a-z0-9_-]{0,31}$/;
const PUBLIC_KEY_PEM = /^-----BEGIN PUBLIC KEY-----\r?\n[A-Za-z0-9+/=\r\n]+-----END PUBLIC KEY-----\r?\n?$/;
const SIGNER_NAME = /^[A-Za-z0-9][A-Za-z0-9._@:-]{0,127}$/;
const MODEL_PATTERN = /^(\*|[a-z0-9][a-z0-9._-]{0,127}\*?)$/;

/**
 * Validates a policy document at publish time. Every problem is reported with its path, e.g.
 * `checks[2].bound.min: must be a finite number`, `checks[0].kind: unknown check kind "auc"`.
 */
export function validatePolicy(input: unknown): Validated<GatePolicy> {
  const r = new FieldReader();
  const doc = r.object(input, 'policy') ?? {};
  const checks = (r.array(doc['checks'], 'checks', { min: 1, max: 500 }) ?? []).map((item, index) =>
    readCheck(r, item, `checks[${index}]`),
  );
  const ids = checks.map((check) => check?.id);
  ids.forEach((id, index) => {
    if (id && ids.indexOf(id) !== index) r.fail(`checks[${index}].id`, `duplicates check id "${id}"`);
  });
  const policy: GatePolicy = {
    policyId:
      r.text(doc['policyId'], 'policyId', {
        max: 64,
        pattern: ID,
        patternHint: 'must be a lower-case identifier (a-z, 0-9, ".", "_", "-")',
      }) ?? '',
    version: r.number(doc['version'], 'version', { min: 1, max: 1_000_000, integer: true }) ?? 0,
    description: typeof doc['description'] === 'string' ? (r.text(doc['description'], 'description', { max: 2000 }) ?? '') : '',
    models: (r.array(doc['models'] ?? ['*'], 'models', { min: 1, max: 100 }) ?? []).map(
      (pattern, index) =>
        r.text(pattern, `models[${index}]`, {
          max: 129,
          pattern: MODEL_PATTERN,
          patternHint: 'must be a model name, a prefix ending in "*", or "*"',
        }) ?? '',
    ),
    baseline: readBaseline(r, doc['baseline']),
    tolerance: doc['tolerance'] === undefined ? 1e-9 : (r.number(doc['tolerance'], 'tolerance', { min: 0, max: 0.01 }) ?? 0),
    checks: checks.filter((check): check is CheckDefinition => check !== undefined),
    guardrails: readGuardrails(r, doc['guardrails']),
  };
  if (doc['trustedSigners'] !== undefined) policy.trustedSigners = readTrustedSigners(r, doc['trustedSigners']);
  if (doc['reproduction'] !== undefined) policy.reproduction = readReproduction(r, doc['reproduction']);
  return r.result(policy);
}

function readBaseline(r: FieldReader, input: unknown): GatePolicy['baseline'] {
  const baseline = r.object(input ?? {}, 'baseline') ?? {};
  const rule = baseline['rule'] ?? 'serving-full-traffic-else-latest-passed';
  if (!['serving-full-traffic-else-latest-passed', 'latest-passed', 'none'].includes(rule as string))
    r.fail('baseline.rule', 'must be serving-full-traffic-else-latest-passed, latest-passed or none');
  const whenMissing = baseline['whenMissing'] ?? 'value-checks-only';
  if (!['value-checks-only', 'block'].includes(whenMissing as string)) r.fail('baseline.whenMissing', 'must be value-checks-only or block');
  return {
    rule: rule as GatePolicy['baseline']['rule'],
    environment:
      r.text(baseline['environment'] ?? 'production', 'baseline.environment', {
        max: 64,
        pattern: ID,
        patternHint: 'must be a lower-case identifier',
      }) ?? '',
    whenMissing: whenMissing as GatePolicy['baseline']['whenMissing'],
  };
}

function readCheck(r: FieldReader, input: unknown, field: string): CheckDefinition | undefined {
  const check = r.object(input, field);
  if (!check) return undefined;
  const id = r.text(check['id'], `${field}.id`, { max: 64, pattern: ID, patternHint: 'must be a lower-case identifier' }) ?? '';
  const kind = check['kind'];
  if (typeof kind !== 'string' || !(CHECK_KINDS as readonly string[]).includes(kind)) {
    r.fail(`${field}.kind`, `unknown check kind ${JSON.stringify(kind)}; expected one of ${CHECK_KINDS.join(', ')}`);
    return undefined;
  }
  const metric = () => readMetricName(r, check['metric'], `${field}.metric`) ?? '';
  const target = () =>
    r.text(check['target'], `${field}.target`, { max: 32, pattern: TARGET, patternHint: 'must be a lower-case target such as mobile' }) ??
    '';
  const ifAbsent = () => {
    const value = check['ifAbsent'] ?? 'fail';
    if (value !== 'fail' && value !== 'skip') r.fail(`${field}.ifAbsent`, 'must be fail or skip');
    return value as 'fail' | 'skip';
  };
  switch (kind as CheckKind) {
    case 'metric-threshold':
      return { id, kind: 'metric-threshold', metric: metric(), bound: readBound(r, check['bound'], `${field}.bound`) };
    case 'metric-change':
      return { id, kind: 'metric-change', metric: metric(), change: readChange(r, check['change'], `${field}.change`) };
    case 'slice-threshold':
      return {
        id,
        kind: 'slice-threshold',
        metric: metric(),
        slices: readSlices(r, check['slices'], `${field}.slices`),
        bound: readBound(r, check['bound'], `${field}.bound`),
      };
    case 'slice-change':
      return {
        id,
        kind: 'slice-change',
        metric: metric(),
        slices: readSlices(r, check['slices'], `${field}.slices`),
        change: readChange(r, check['change'], `${field}.change`),
      };
    case 'group-disparity': {
      const attributes =
        check['attributes'] === undefined
          ? undefined
          : (r.array(check['attributes'], `${field}.attributes`, { min: 1, max: 100 }) ?? []).map(
              (name, index) => r.text(name, `${field}.attributes[${index}]`, { max: 128 }) ?? '',
            );
      return {
        id,
        kind: 'group-disparity',
        metric: metric(),
        ...(attributes ? { attributes } : {}),
        maxGap: r.number(check['maxGap'], `${field}.maxGap`, { min: 0, max: 1e12 }) ?? 0,
      };
    }
    case 'artifact-size':
      return { id, kind: 'artifact-size', target: target(), bound: readBound(r, check['bound'], `${field}.bound`), ifAbsent: ifAbsent() };
    case 'artifact-format':
      return {
        id,
        kind: 'artifact-format',
        target: target(),
        formats: (r.array(check['formats'], `${field}.formats`, { min: 1, max: 50 }) ?? []).map(
          (format, index) => r.text(format, `${field}.formats[${index}]`, { max: 64 }) ?? '',
        ),
        ifAbsent: ifAbsent(),
      };
    case 'artifact-signature': {
      const required = check['required'] ?? true;
      if (typeof required !== 'boolean') r.fail(`${field}.required`, 'must be true (an unsigned artifact fails) or false (it is skipped)');
      return { id, kind: 'artifact-signature', target: target(), required: required === true };
    }
    case 'operational': {
      const targets = check['targets'] ?? 'all-artifact-targets';
      const resolved =
        targets === 'all-artifact-targets'
          ? targets
          : (r.array(targets, `${field}.targets`, { min: 1, max: 50 }) ?? []).map(
              (name, index) => r.text(name, `${field}.targets[${index}]`, { max: 32, pattern: TARGET }) ?? '',
            );
      return { id, kind: 'operational', metric: metric(), targets: resolved, bound: readBound(r, check['bound'], `${field}.bound`) };
    }
    default: {
      const unreachable: never = kind as never;
      throw new Error(`unhandled ${String(unreachable)}`);
    }
  }
}

const BOUND_KEYS = ['min', 'max', 'above', 'below', 'target', 'maxDeviation'] as const;

/** A bound must say something and must not contradict itself (min above max, an empty interval). */
export function readBound(r: FieldReader, input: unknown, field: string): Bound {
  const raw = r.object(input, field) ?? {};
  const bound: Bound = {};
  for (const key of Object.keys(raw)) {
    if (!(BOUND_KEYS as readonly string[]).includes(key)) r.fail(`${field}.${key}`, `unknown bound; expected ${BOUND_KEYS.join(', ')}`);
  }
  for (const key of BOUND_KEYS) {
    if (raw[key] !== undefined) {
      const value = r.number(raw[key], `${field}.${key}`);
      if (value !== undefined) bound[key] = value;
    }
  }
  if (input !== undefined && Object.keys(bound).length === 0 && r.errors.every((error) => !error.field.startsWith(field)))
    r.fail(field, 'must set min, max, above, below, or target with maxDeviation');
  if ((bound.target === undefined) !== (bound.maxDeviation === undefined)) r.fail(field, 'target and maxDeviation go together');
  if (bound.maxDeviation !== undefined && bound.maxDeviation < 0) r.fail(`${field}.maxDeviation`, 'must not be negative');
  const lower = Math.max(bound.min ?? -Infinity, bound.above ?? -Infinity);
  const upper = Math.min(bound.max ?? Infinity, bound.below ?? Infinity);
  const exclusive = bound.above !== undefined || bound.below !== undefined;
  if (lower > upper || (exclusive && lower === upper))
    r.fail(field, `contradictory bounds: nothing is both above ${lower} and below ${upper}`);
  return bound;
}

function readChange(r: FieldReader, input: unknown, field: string): ChangeRequirement {
  const raw = r.object(input, field) ?? {};
  const direction = raw['direction'];
  if (direction !== 'higher' && direction !== 'lower') r.fail(`${field}.direction`, 'must be higher or lower (which is better)');
  const change: ChangeRequirement = { direction: direction === 'lower' ? 'lower' : 'higher' };
  if (raw['absolute'] !== undefined) change.absolute = r.number(raw['absolute'], `${field}.absolute`, { min: -1e12, max: 1e12 });
  if (raw['relative'] !== undefined) change.relative = r.number(raw['relative'], `${field}.relative`, { min: -1, max: 100 });
  if (raw['absolute'] === undefined && raw['relative'] === undefined) r.fail(field, 'must set absolute and/or relative');
  return change;
}

function readSlices(r: FieldReader, input: unknown, field: string): SliceSelection {
  const raw = r.object(input, field) ?? {};
  if (raw['topKByTraffic'] !== undefined) {
    return { topKByTraffic: r.number(raw['topKByTraffic'], `${field}.topKByTraffic`, { min: 1, max: 10_000, integer: true }) ?? 1 };
  }
  if (raw['names'] !== undefined)
    return {
      names: (r.array(raw['names'], `${field}.names`, { min: 1, max: 10_000 }) ?? []).map(
        (name, index) => r.text(name, `${field}.names[${index}]`, { max: 256 }) ?? '',
      ),
    };
  r.fail(field, 'must set names or topKByTraffic');
  return { names: [] };
}

function readGuardrails(r: FieldReader, input: unknown): Guardrails {
  const raw = r.object(input ?? {}, 'guardrails') ?? {};
  const canary: CanaryGuardrail[] = (r.array(raw['canary'] ?? [], 'guardrails.canary', { max: 100 }) ?? []).map((item, index) =>
    readCanaryGuardrail(r, item, `guardrails.canary[${index}]`),
  );
  const offlineOnlineTolerance: Record<string, number | Deviation> = {};
  for (const entry of metricEntries(r, raw['offlineOnlineTolerance'] ?? {}, 'guardrails.offlineOnlineTolerance')) {
    const tolerance =
      entry.value !== null && typeof entry.value === 'object'
        ? readDeviation(r, entry.value, entry.field)
        : r.number(entry.value, entry.field, { min: 0, max: 1e12 });
    if (tolerance !== undefined) offlineOnlineTolerance[entry.metric] = tolerance;
  }
  return { canary, offlineOnlineTolerance };
}

function readCanaryGuardrail(r: FieldReader, input: unknown, field: string): CanaryGuardrail {
  const guardrail = r.object(input, field) ?? {};
  const result: CanaryGuardrail = { metric: readMetricName(r, guardrail['metric'], `${field}.metric`) ?? '' };
  if (guardrail['bound'] !== undefined) result.bound = readBound(r, guardrail['bound'], `${field}.bound`);
  if (guardrail['maxRegression'] !== undefined)
    result.maxRegression = readDeviation(r, guardrail['maxRegression'], `${field}.maxRegression`);
  if (guardrail['direction'] !== undefined) {
    if (guardrail['direction'] !== 'higher' && guardrail['direction'] !== 'lower')
      r.fail(`${field}.direction`, 'must be higher or lower (which is better)');
    else if (result.maxRegression === undefined)
      r.fail(`${field}.direction`, 'applies to maxRegression only; set maxRegression or remove direction');
    else result.direction = guardrail['direction'];
  }
  if (guardrail['maxRelativeDrop'] !== undefined) {
    if (result.maxRegression !== undefined)
      r.fail(`${field}.maxRelativeDrop`, 'is the earlier spelling of maxRegression.relative; set one of them');
    else result.maxRelativeDrop = r.number(guardrail['maxRelativeDrop'], `${field}.maxRelativeDrop`, { min: 0, max: 1 });
  }
  if (result.bound === undefined && result.maxRegression === undefined && result.maxRelativeDrop === undefined)
    r.fail(field, 'must set bound and/or maxRegression');
  return result;
}

function readReproduction(r: FieldReader, input: unknown): ReproductionTolerance {
  const raw = r.object(input, 'reproduction') ?? {};
  const metricTolerance: Record<string, Deviation> = {};
  for (const entry of metricEntries(r, raw['metricTolerance'] ?? {}, 'reproduction.metricTolerance'))
    metricTolerance[entry.metric] = readDeviation(r, entry.value, entry.field);
  return { metricTolerance };
}

/** Who may sign: a name (recorded in decisions) and an ECDSA public key in PEM; names and keys unique. */
function readTrustedSigners(r: FieldReader, input: unknown): TrustedSigner[] {
  const signers = (r.array(input, 'trustedSigners', { max: 100 }) ?? []).map((item, index) => {
    const field = `trustedSigners[${index}]`;
    const signer = r.object(item, field) ?? {};
    const raw = signer['publicKey'];
    const publicKey = typeof raw === 'string' && raw.length <= 4096 && PUBLIC_KEY_PEM.test(raw) ? raw : '';
    const problem = publicKey
      ? publicKeyProblem(publicKey)
      : 'must be a PEM public key (-----BEGIN PUBLIC KEY-----, at most 4096 characters)';
    if (problem) r.fail(`${field}.publicKey`, problem);
    return {
      name:
        r.text(signer['name'], `${field}.name`, {
          max: 128,
          pattern: SIGNER_NAME,
          patternHint: 'must be letters, digits and ._@:- only',
        }) ?? '',
      publicKey,
      keyId: problem || !publicKey ? '' : signerKeyId(publicKey),
    };
  });
  signers.forEach((signer, index) => {
    if (signers.findIndex((other) => other.name === signer.name) !== index)
      r.fail(`trustedSigners[${index}].name`, `duplicates signer ${signer.name}`);
    else if (signer.keyId && signers.findIndex((other) => other.keyId === signer.keyId) !== index)
      r.fail(`trustedSigners[${index}].publicKey`, 'is the key of an earlier signer');
  });
  return signers.map(({ name, publicKey }) => ({ name, publicKey }));
}

const DEVIATION_KEYS = ['absolute', 'relative'] as const;

/** An absolute and/or relative allowance, each a non-negative number (relative as a fraction, at most 100 = 10,000%). */
function readDeviation(r: FieldReader, input: unknown, field: string): Deviation {
  const raw = r.object(input, field) ?? {};
  for (const key of Object.keys(raw)) {
    if (!(DEVIATION_KEYS as readonly string[]).includes(key)) r.fail(`${field}.${key}`, `unknown key; expected absolute and/or relative`);
  }
  const deviation: Deviation = {};
  if (raw['absolute'] !== undefined) deviation.absolute = r.number(raw['absolute'], `${field}.absolute`, { min: 0, max: 1e12 });
  if (raw['relative'] !== undefined) deviation.relative = r.number(raw['relative'], `${field}.relative`, { min: 0, max: 100 });
  if (raw['absolute'] === undefined && raw['relative'] === undefined && input !== null && typeof input === 'object')
    r.fail(field, 'must set absolute and/or relative');
  return deviation;
}
