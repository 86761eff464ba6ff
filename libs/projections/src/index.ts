export { toModelVersionRow } from './model-version-row';
export type { ModelVersionRow } from './model-version-row';
