import { z } from 'zod';
import { contractFieldErrors, contractMessage, fieldPath } from './contract-errors';
import { contractComponents, named, schemaRef } from './contract-schemas';

const Item = named('SpecItem', z.object({ uri: z.string(), size: z.int().min(1) }));
const Order = named(
  'SpecOrder',
  z.object({ items: z.array(Item).min(1), metrics: z.record(z.string(), z.number()), note: z.string().optional() }),
  { example: { items: [{ uri: 'a', size: 1 }], metrics: {} } },
);
named('SpecUnused', z.object({ other: z.string() }));

const errorsOf = (input: unknown) => {
  const parsed = Order.safeParse(input, { error: contractMessage });
  if (parsed.success) throw new Error('expected a refusal');
  return contractFieldErrors(parsed.error);
};

describe('route contracts', () => {
  it('names each field at fault by its JSON path, in the words of the rest of our validation', () => {
    expect(errorsOf({ items: [{ uri: 7 }], metrics: { auc: 'high' } })).toEqual([
      { field: 'items[0].uri', message: 'must be a string' },
      { field: 'items[0].size', message: 'is required' },
      { field: 'metrics.auc', message: 'must be a number' },
    ]);
    expect(errorsOf({ items: [], metrics: {} })).toEqual([{ field: 'items', message: 'must have at least 1 item(s)' }]);
    expect(errorsOf([])).toEqual([{ field: 'body', message: 'must be an object' }]);
    expect(fieldPath(['a', 0, 'b', 12])).toBe('a[0].b[12]');
  });

  it('puts the named schemas a document refers to, and those they refer to, into its components', () => {
    const components = contractComponents({
      '/orders': { post: { requestBody: { content: { 'application/json': { schema: schemaRef(Order) } } } } },
    });
    expect(Object.keys(components)).toEqual(['SpecItem', 'SpecOrder']);
    expect(components['SpecOrder']).toMatchObject({
      type: 'object',
      required: ['items', 'metrics'],
      properties: { items: { items: { $ref: '#/components/schemas/SpecItem' } } },
      examples: [{ items: [{ uri: 'a', size: 1 }] }],
    });
    expect(components['SpecOrder']).not.toHaveProperty('$id');
  });

  it('refuses a route contract on an unnamed schema', () => {
    expect(() => schemaRef(z.object({}))).toThrow(/named\(\)/);
  });
});
