import { HttpException } from '@nestjs/common';
import { z } from 'zod';
import { named } from '@modelreg/validation';
import { ContractPipe } from './route-contract';

const Report = named(
  'SpecReport',
  z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('STARTED'), trafficPercent: z.number() }),
    z.object({ kind: z.literal('RETIRED'), reason: z.string() }),
  ]),
);

function refusal(body: unknown): unknown {
  try {
    new ContractPipe(Report).transform(body);
  } catch (error) {
    if (error instanceof HttpException) return { status: error.getStatus(), body: error.getResponse() };
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('ContractPipe', () => {
  it('refuses a body off its contract with 422 validation_failed naming each field by JSON path', () => {
    expect(refusal({ kind: 'STARTED', trafficPercent: '5' })).toEqual({
      status: 422,
      body: { error: 'validation_failed', errors: [{ field: 'trafficPercent', message: 'must be a number' }] },
    });
    expect(refusal({ kind: 'PAUSED' })).toEqual({
      status: 422,
      body: { error: 'validation_failed', errors: [{ field: 'kind', message: 'must be one of STARTED, RETIRED' }] },
    });
  });

  it('passes the body on as sent, unknown keys included, for the domain parser to judge', () => {
    const body = { kind: 'RETIRED', reason: 'end of life', extra: 1 };
    expect(new ContractPipe(Report).transform(body)).toBe(body);
  });
});
