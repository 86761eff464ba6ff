export { toModelVersionRow, isNewPosition } from './model-version-row';
export type { ModelVersionRow } from './model-version-row';
