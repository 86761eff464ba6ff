import { z } from 'zod';

/**
 * Registers `schema` as the component `id` (in zod's global registry, where `.describe()` texts
 * live too), with an example a generated client's docs show. A schema nested in another named one
 * becomes a `$ref` to it instead of a copy.
 */
export function named<T extends z.ZodType>(id: string, schema: T, meta: { description?: string; example?: z.input<T> } = {}): T {
  return schema.meta({
    id,
    ...(meta.description ? { description: meta.description } : {}),
    ...(meta.example !== undefined ? { examples: [meta.example] } : {}),
  });
}

/** A `$ref` to a named schema, as an OpenAPI operation refers to it. */
export function schemaRef(schema: z.ZodType): { $ref: string } {
  const meta = z.globalRegistry.get(schema);
  if (!meta?.id) throw new Error('a route contract must use a schema registered with named()');
  return { $ref: componentRef(meta.id) };
}

const componentRef = (id: string) => `#/components/schemas/${id}`;
const REF = /"#\/components\/schemas\/([^"]+)"/g;

/**
 * The JSON Schemas (2020-12, which OpenAPI 3.1 takes as is) of the named schemas that `referrer`
 * (an OpenAPI document's paths) refers to, directly or through another schema.
 */
export function contractComponents(referrer: unknown): Record<string, Record<string, unknown>> {
  const all = z.toJSONSchema(z.globalRegistry, { target: 'draft-2020-12', io: 'input', uri: componentRef, unrepresentable: 'any' }).schemas;
  const wanted = new Set<string>();
  const visit = (value: unknown) => {
    for (const [, id] of JSON.stringify(value).matchAll(REF)) {
      if (id === undefined || wanted.has(id) || !all[id]) continue;
      wanted.add(id);
      visit(all[id]);
    }
  };
  visit(referrer);
  // `$id`/`$schema` per component would rebase its `$ref`s; the document is their base.
  return Object.fromEntries(
    [...wanted].sort().map((id) => {
      const { $id: _id, $schema: _schema, ...schema } = all[id] as Record<string, unknown>;
      return [id, schema];
    }),
  );
}
