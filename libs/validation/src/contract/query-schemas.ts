import { z } from 'zod';
import { isValidModelName, MODEL_NAME_HINT } from '../model-name';

/**
 * Query parameters arrive as text: these schemas check the text and give the typed value, and
 * document both (a `pattern`, bounds, a default) in the OpenAPI document.
 */
export function integerParam(min: number, max: number) {
  const message = `must be an integer between ${min} and ${max}`;
  return z
    .string()
    .regex(/^\d{1,10}$/, { error: message })
    .transform(Number)
    .pipe(z.number().min(min, { error: message }).max(max, { error: message }))
    .meta({ description: `${min}-${max}` });
}

export function booleanParam() {
  return z.enum(['true', 'false'], { error: 'must be true or false' }).transform((value) => value === 'true');
}

export const ModelNameParam = z.string().refine(isValidModelName, { error: MODEL_NAME_HINT }).meta({ description: 'A model name' });

/** `limit` (1 to `maxLimit`, default 50) and `offset` (default 0) of a paginated list. */
export function pageQuery(maxLimit = 500) {
  return z.object({
    limit: integerParam(1, maxLimit)
      .optional()
      .transform((limit) => limit ?? 50),
    offset: integerParam(0, 999_999_999)
      .optional()
      .transform((offset) => offset ?? 0),
  });
}
