import { HttpException, HttpStatus } from '@nestjs/common';
import { isValidModelName, MODEL_NAME_HINT } from '@modelreg/validation';

/** 400 with the field at fault, the shape every service answers bad input with. */
export function badRequest(field: string, message: string): HttpException {
  return new HttpException({ error: 'bad_request', field, message }, HttpStatus.BAD_REQUEST);
}

export function notFound(message: string): HttpException {
  return new HttpException({ error: 'not_found', message }, HttpStatus.NOT_FOUND);
}

/** Path segments arrive percent-decoded once; anything outside the model-name alphabet is refused. */
export function parseModelName(value: string | undefined, field = 'modelName'): string {
  if (value === undefined || !isValidModelName(value)) throw badRequest(field, MODEL_NAME_HINT);
  return value;
}

export function parsePositiveInt(value: string | undefined, field: string, max = 2_147_483_647): number {
  if (value === undefined || !/^\d{1,10}$/.test(value) || Number(value) < 1 || Number(value) > max)
    throw badRequest(field, `must be an integer between 1 and ${max}`);
  return Number(value);
}
