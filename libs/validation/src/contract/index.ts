export { contractComponents, named, schemaRef } from './contract-schemas';
export { contractFieldErrors, contractMessage, fieldPath } from './contract-errors';
export { IsoTime, isoTime } from './common-schemas';
export { booleanParam, integerParam, ModelNameParam, pageQuery } from './query-schemas';
