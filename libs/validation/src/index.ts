export { FieldReader } from './field-reader';
export type { FieldError, Validated, TextOptions, MapOptions } from './field-reader';
export { INPUT_LIMITS } from './limits';
export { textProblem, quoteForMessage } from './storable-text';
export type { TextRules } from './storable-text';
export { canonicalJson, compareCodePoints } from './canonical-json';
export { parseStrictJson } from './strict-json';
export type { JsonProblem, StrictJsonResult } from './strict-json';
export { isValidModelName, MODEL_NAME_PATTERN, MODEL_NAME_HINT } from './model-name';
export {
  canonicalMetricName,
  metricEntries,
  readMetricName,
  readOptionalMetricName,
  METRIC_NAME_PATTERN,
  METRIC_NAME_HINT,
  METRIC_NAME_MAX_CHARS,
} from './metric-name';
export {
  contractComponents,
  contractFieldErrors,
  contractMessage,
  fieldPath,
  IsoTime,
  isoTime,
  named,
  schemaRef,
  booleanParam,
  integerParam,
  ModelNameParam,
  pageQuery,
} from './contract';
