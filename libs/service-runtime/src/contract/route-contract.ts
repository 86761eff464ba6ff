import { Body, HttpException, HttpStatus, type PipeTransform } from '@nestjs/common';
import { ApiBody, ApiResponse } from '@nestjs/swagger';
import type { z } from 'zod';
import { contractFieldErrors, contractMessage, schemaRef } from '@modelreg/validation';

/**
 * Checks a JSON body (already parsed strictly: malformed JSON and repeated keys are 400s before
 * this) against its contract: a mismatch is a 422 whose `errors` name each field by its JSON path.
 * The body passes on as sent, unknown keys included, so the domain's own parser (which also serves
 * the Kafka paths) still sees and refuses what it refuses; the contract adds no transforms.
 */
export class ContractPipe<T extends z.ZodType> implements PipeTransform<unknown, z.input<T>> {
  constructor(private readonly schema: T) {}

  transform(body: unknown): z.input<T> {
    const parsed = this.schema.safeParse(body, { error: contractMessage });
    if (!parsed.success) throw new HttpException({ error: 'validation_failed', errors: contractFieldErrors(parsed.error) }, HttpStatus.UNPROCESSABLE_ENTITY);
    return body as z.input<T>;
  }
}

/**
 * The request body of a route under its contract: validated by `schema` and documented as its
 * named component, so the OpenAPI document and the check cannot drift apart.
 */
export function ContractBody(schema: z.ZodType, { required = true, description }: { required?: boolean; description?: string } = {}): ParameterDecorator {
  const validate = Body(new ContractPipe(required ? schema : schema.optional()));
  const document = ApiBody({ schema: schemaRef(schema), required, ...(description ? { description } : {}) });
  return (target, key, index) => {
    validate(target, key, index);
    if (key === undefined) throw new Error('ContractBody decorates a handler parameter');
    document(target, key, Object.getOwnPropertyDescriptor(target, key) as PropertyDescriptor);
  };
}

/** A successful answer of a route under its contract: `schema` is its JSON body (or `null` for none). */
export function ContractResponse(status: number, schema: z.ZodType | null, description: string, mediaType = 'application/json'): MethodDecorator & ClassDecorator {
  return ApiResponse({ status, description, ...(schema ? { content: { [mediaType]: { schema: schemaRef(schema) } } } : {}) });
}
