import type { AbMetricResult } from '@modelreg/events';
import {
  FieldReader,
  isValidModelName,
  metricEntries,
  MODEL_NAME_HINT,
  readMetricName,
  readOptionalMetricName,
  type Validated,
} from '@modelreg/validation';
import { REPORT_KINDS, type DeploymentReport, type Placement } from './deployment-report';

const ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
const ID_HINT = 'must be 1-128 letters, digits, ".", "_", ":" or "-"';
/** Service, surface and environment names: no path separators, no control characters, no spaces. */
export const PLACEMENT_NAME_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}$/;
export const PLACEMENT_NAME_HINT = 'must be 1-64 characters of a-z, 0-9, ".", "_" or "-" (no "/", "\\", spaces or control characters)';

export interface ReportValidationOptions {
  now: number;
  /** How far in the future a timestamp may be (clock skew), ms. */
  maxSkewMs: number;
}

/**
 * Validates a report body (HTTP JSON, or the JSON body of a DeploymentReportSubmitted event).
 * Every problem is named by field.
 */
export function validateDeploymentReport(input: unknown, options: ReportValidationOptions): Validated<DeploymentReport> {
  const r = new FieldReader();
  const body = r.object(input, 'body') ?? {};
  const kind = body['kind'];
  if (typeof kind !== 'string' || !(REPORT_KINDS as readonly string[]).includes(kind)) {
    r.fail('kind', `must be one of ${REPORT_KINDS.join(', ')}`);
    return r.result(undefined as never);
  }
  const reportId = r.text(body['reportId'], 'reportId', { max: 128, pattern: ID, patternHint: ID_HINT }) ?? '';
  const reportedAt = notInFuture(r, body['reportedAt'], 'reportedAt', options);
  const base = { reportId, reportedAt };
  const deploymentId = () => r.text(body['deploymentId'], 'deploymentId', { max: 128, pattern: ID, patternHint: ID_HINT }) ?? '';
  const version = (field: string) => r.number(body[field], field, { min: 1, max: 2_147_483_647, integer: true }) ?? 0;
  const traffic = () => r.number(body['trafficPercent'], 'trafficPercent', { min: Number.MIN_VALUE, max: 100 }) ?? 0;
  switch (kind as DeploymentReport['kind']) {
    case 'CANARY_STARTED':
      return r.result({
        ...base,
        kind: 'CANARY_STARTED',
        deploymentId: deploymentId(),
        placement: readPlacement(r, body),
        modelVersion: version('modelVersion'),
        trafficPercent: traffic(),
        baselineVersion: body['baselineVersion'] === undefined || body['baselineVersion'] === null ? null : version('baselineVersion'),
      });
    case 'CANARY_TRAFFIC_CHANGED':
      return r.result({ ...base, kind: 'CANARY_TRAFFIC_CHANGED', deploymentId: deploymentId(), trafficPercent: traffic() });
    case 'ROLLOUT_COMPLETED':
      return r.result({ ...base, kind: 'ROLLOUT_COMPLETED', deploymentId: deploymentId() });
    case 'ROLLED_BACK':
      return r.result({
        ...base,
        kind: 'ROLLED_BACK',
        deploymentId: deploymentId(),
        toVersion: version('toVersion'),
        reason: r.text(body['reason'], 'reason', { max: 1000 }) ?? '',
        triggerMetric: readOptionalMetricName(r, body['triggerMetric'], 'triggerMetric'),
        triggerValue:
          body['triggerValue'] === undefined || body['triggerValue'] === null
            ? null
            : (r.number(body['triggerValue'], 'triggerValue') ?? null),
      });
    case 'DEPLOYMENT_RETIRED':
      return r.result({
        ...base,
        kind: 'DEPLOYMENT_RETIRED',
        deploymentId: deploymentId(),
        reason: r.text(body['reason'], 'reason', { max: 1000 }) ?? '',
      });
    case 'ONLINE_METRICS': {
      const windowStart = notInFuture(r, body['windowStart'], 'windowStart', options);
      const windowEnd = notInFuture(r, body['windowEnd'], 'windowEnd', options);
      if (windowEnd <= windowStart) r.fail('windowEnd', 'must be after windowStart');
      return r.result({
        ...base,
        kind: 'ONLINE_METRICS',
        placement: readPlacement(r, body),
        modelVersion: version('modelVersion'),
        windowStart,
        windowEnd,
        metrics: readMetrics(r, body['metrics'], 'metrics'),
      });
    }
    case 'AB_TEST_CONCLUDED': {
      const decision = body['decision'];
      if (decision !== 'SHIP_TREATMENT' && decision !== 'KEEP_CONTROL' && decision !== 'INCONCLUSIVE')
        r.fail('decision', 'must be SHIP_TREATMENT, KEEP_CONTROL or INCONCLUSIVE');
      const controlVersion = version('controlVersion');
      const treatmentVersion = version('treatmentVersion');
      if (controlVersion === treatmentVersion && controlVersion !== 0) r.fail('treatmentVersion', 'must differ from controlVersion');
      return r.result({
        ...base,
        kind: 'AB_TEST_CONCLUDED',
        testId: r.text(body['testId'], 'testId', { max: 128, pattern: ID, patternHint: ID_HINT }) ?? '',
        placement: readPlacement(r, body),
        controlVersion,
        treatmentVersion,
        results: (r.array(body['results'], 'results', { min: 1, max: 200 }) ?? []).map((item, index) =>
          readAbResult(r, item, `results[${index}]`),
        ),
        decision: decision as 'SHIP_TREATMENT',
      });
    }
    default: {
      const unreachable: never = kind as never;
      throw new Error(`unhandled ${String(unreachable)}`);
    }
  }
}

/** modelName, service, surface and environment of a request body, each checked. */
export function readPlacement(r: FieldReader, body: Record<string, unknown>): Placement {
  const modelName = r.text(body['modelName'], 'modelName', { max: 128 }) ?? '';
  if (modelName && !isValidModelName(modelName)) r.fail('modelName', MODEL_NAME_HINT);
  return {
    modelName,
    service: r.text(body['service'], 'service', { max: 64, pattern: PLACEMENT_NAME_PATTERN, patternHint: PLACEMENT_NAME_HINT }) ?? '',
    surface: r.text(body['surface'], 'surface', { max: 64, pattern: PLACEMENT_NAME_PATTERN, patternHint: PLACEMENT_NAME_HINT }) ?? '',
    environment:
      r.text(body['environment'], 'environment', { max: 64, pattern: PLACEMENT_NAME_PATTERN, patternHint: PLACEMENT_NAME_HINT }) ?? '',
  };
}

function notInFuture(r: FieldReader, value: unknown, field: string, options: ReportValidationOptions): number {
  const millis = r.timestamp(value, field);
  if (millis === undefined) return 0;
  if (millis > options.now + options.maxSkewMs)
    r.fail(
      field,
      `is ${Math.round((millis - options.now) / 1000)} s in the future; ` +
        `at most ${Math.round(options.maxSkewMs / 1000)} s of clock skew is accepted`,
    );
  return millis;
}

function readMetrics(r: FieldReader, input: unknown, field: string): Record<string, number> {
  const values = r.object(input, field) ?? {};
  if (input !== undefined && Object.keys(values).length === 0) r.fail(field, 'must hold at least one metric');
  const out: Record<string, number> = {};
  for (const entry of metricEntries(r, values, field)) {
    const value = r.number(entry.value, entry.field);
    if (value !== undefined) out[entry.metric] = value;
  }
  return out;
}

function readAbResult(r: FieldReader, input: unknown, field: string): AbMetricResult {
  const item = r.object(input, field) ?? {};
  const num = (key: string, options = {}) => r.number(item[key], `${field}.${key}`, options) ?? 0;
  const result: AbMetricResult = {
    metric: readMetricName(r, item['metric'], `${field}.metric`) ?? '',
    controlValue: num('controlValue'),
    treatmentValue: num('treatmentValue'),
    relativeLift: num('relativeLift'),
    confidenceLow: num('confidenceLow'),
    confidenceHigh: num('confidenceHigh'),
    confidenceLevel: item['confidenceLevel'] === undefined ? 0.95 : num('confidenceLevel', { min: 0.5, max: 0.9999 }),
    controlSamples: num('controlSamples', { min: 1, integer: true }),
    treatmentSamples: num('treatmentSamples', { min: 1, integer: true }),
  };
  if (result.confidenceLow > result.confidenceHigh) r.fail(`${field}.confidenceHigh`, 'must not be below confidenceLow');
  return result;
}
