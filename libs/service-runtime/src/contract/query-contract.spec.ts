import { HttpException } from '@nestjs/common';
import { z } from 'zod';
import { booleanParam, integerParam, pageQuery } from '@modelreg/validation';
import { QueryContractPipe } from './route-contract';

const Query = pageQuery(100).extend({ raw: booleanParam().default(false), version: integerParam(1, 9).optional() });
const pipe = new QueryContractPipe(Query);

function refusal(query: Record<string, string>): unknown {
  try {
    pipe.transform(query);
  } catch (error) {
    if (error instanceof HttpException) return { status: error.getStatus(), body: error.getResponse() };
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('query contracts', () => {
  it('types the text of a query string and fills the defaults', () => {
    expect(pipe.transform({})).toEqual({ limit: 50, offset: 0, raw: false });
    expect(pipe.transform({ limit: '100', offset: '0', raw: 'true', version: '9' })).toEqual({
      limit: 100,
      offset: 0,
      raw: true,
      version: 9,
    });
  });

  it('answers 400 naming the parameter, for text that is no value of its type or out of bounds', () => {
    expect(refusal({ limit: '101' })).toEqual({
      status: 400,
      body: {
        error: 'bad_request',
        field: 'limit',
        message: 'limit must be an integer between 1 and 100',
        errors: [{ field: 'limit', message: 'must be an integer between 1 and 100' }],
      },
    });
    for (const limit of ['0', '1e2', '-5', ' 5', '12345678901'])
      expect(refusal({ limit })).toMatchObject({ status: 400, body: { field: 'limit' } });
    expect(refusal({ raw: 'yes' })).toMatchObject({ status: 400, body: { field: 'raw', message: 'raw must be true or false' } });
    expect(refusal({ version: '10', offset: 'x' })).toMatchObject({ body: { errors: [{ field: 'offset' }, { field: 'version' }] } });
  });

  it('documents each parameter from its schema: text in, with its pattern', () => {
    expect(z.toJSONSchema(Query.shape.limit, { io: 'input', unrepresentable: 'any' })).toMatchObject({
      type: 'string',
      pattern: '^\\d{1,10}$',
    });
  });
});
