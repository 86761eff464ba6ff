import { Body, HttpException, HttpStatus, Query, type PipeTransform } from '@nestjs/common';
import { ApiBody, ApiQuery, ApiResponse } from '@nestjs/swagger';
import { z } from 'zod';
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
    if (!parsed.success)
      throw new HttpException({ error: 'validation_failed', errors: contractFieldErrors(parsed.error) }, HttpStatus.UNPROCESSABLE_ENTITY);
    return body as z.input<T>;
  }
}

/**
 * The request body of a route under its contract: validated by `schema` and documented as its
 * named component, so the OpenAPI document and the check cannot drift apart.
 */
export function ContractBody(
  schema: z.ZodType,
  { required = true, description }: { required?: boolean; description?: string } = {},
): ParameterDecorator {
  const validate = Body(new ContractPipe(required ? schema : schema.optional()));
  const document = ApiBody({ schema: schemaRef(schema), required, ...(description ? { description } : {}) });
  // Every JSON body goes through the strict parser first (`strict-json.ts`): its refusals, documented once.
  const malformed = ApiResponse({
    status: 400,
    description: 'Malformed JSON (the position is named) or a key repeated within one object (`field` is its path).',
  });
  return (target, key, index) => {
    validate(target, key, index);
    if (key === undefined) throw new Error('ContractBody decorates a handler parameter');
    const descriptor = Object.getOwnPropertyDescriptor(target, key) as PropertyDescriptor;
    document(target, key, descriptor);
    malformed(target, key, descriptor);
  };
}

/** A successful answer of a route under its contract: `schema` is its JSON body (or `null` for none). */
export function ContractResponse(
  status: number,
  schema: z.ZodType | null,
  description: string,
  mediaType = 'application/json',
): MethodDecorator & ClassDecorator {
  return ApiResponse({ status, description, ...(schema ? { content: { [mediaType]: { schema: schemaRef(schema) } } } : {}) });
}

/** Checks the query string against its contract and hands the handler the typed values; a mismatch is a 400 naming the parameter. */
export class QueryContractPipe<T extends z.ZodObject> implements PipeTransform<unknown, z.output<T>> {
  constructor(private readonly schema: T) {}

  transform(query: unknown): z.output<T> {
    const parsed = this.schema.safeParse(query ?? {}, { error: contractMessage });
    if (parsed.success) return parsed.data;
    const errors = contractFieldErrors(parsed.error);
    const first = errors[0] as { field: string; message: string };
    throw new HttpException(
      { error: 'bad_request', field: first.field, message: `${first.field} ${first.message}`, errors },
      HttpStatus.BAD_REQUEST,
    );
  }
}

/**
 * The query parameters of a route under their contract (an object schema of text parameters, see
 * `pageQuery`, `integerParam`): validated and typed by `schema`, each documented from it.
 */
export function ContractQuery(schema: z.ZodObject): ParameterDecorator {
  const validate = Query(new QueryContractPipe(schema));
  const documents = Object.entries(schema.shape as Record<string, z.ZodType>).map(([name, parameter]) => {
    const {
      $schema: _schema,
      description,
      ...json
    } = z.toJSONSchema(parameter, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
    return ApiQuery({
      name,
      required: !parameter.safeParse(undefined).success,
      schema: json,
      ...(typeof description === 'string' ? { description } : {}),
    });
  });
  return (target, key, index) => {
    validate(target, key, index);
    if (key === undefined) throw new Error('ContractQuery decorates a handler parameter');
    for (const document of documents) document(target, key, Object.getOwnPropertyDescriptor(target, key) as PropertyDescriptor);
  };
}
