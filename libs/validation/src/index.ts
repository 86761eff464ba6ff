export { FieldReader } from './field-reader';
export type { FieldError, Validated, TextOptions, MapOptions } from './field-reader';
export { INPUT_LIMITS } from './limits';
export { textProblem, quoteForMessage } from './storable-text';
export type { TextRules } from './storable-text';
export { canonicalJson } from './canonical-json';
export { parseStrictJson } from './strict-json';
export type { JsonProblem, StrictJsonResult } from './strict-json';
export { isValidModelName, MODEL_NAME_PATTERN, MODEL_NAME_HINT } from './model-name';
