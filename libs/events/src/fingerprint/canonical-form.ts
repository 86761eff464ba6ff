/**
 * Avro Parsing Canonical Form (Avro specification, "Parsing Canonical Form for Schemas").
 *
 * Two schemas with the same canonical form read and write the same bytes, so the form is what a
 * fingerprint is taken over. Implements the spec's transformations: PRIMITIVES, FULLNAMES, STRIP,
 * ORDER, STRINGS, INTEGERS and WHITESPACE. A named type is written in full at its first occurrence
 * and by its full name afterwards.
 */
export type AvroSchemaJson = string | AvroSchemaJson[] | { [key: string]: unknown };

const PRIMITIVE_TYPES = new Set(['null', 'boolean', 'int', 'long', 'float', 'double', 'bytes', 'string']);

export class InvalidSchemaError extends Error {
  readonly retriable = false;
}

export function toParsingCanonicalForm(schema: AvroSchemaJson): string {
  return canonicalize(schema, '', new Set<string>());
}

function canonicalize(schema: unknown, namespace: string, defined: Set<string>): string {
  if (typeof schema === 'string') return canonicalizeName(schema, namespace);
  if (Array.isArray(schema)) return `[${schema.map((branch) => canonicalize(branch, namespace, defined)).join(',')}]`;
  if (schema !== null && typeof schema === 'object') return canonicalizeObject(schema as Record<string, unknown>, namespace, defined);
  throw new InvalidSchemaError(`not an Avro schema: ${JSON.stringify(schema)}`);
}

function canonicalizeName(name: string, namespace: string): string {
  if (PRIMITIVE_TYPES.has(name)) return JSON.stringify(name);
  return JSON.stringify(fullName(name, namespace));
}

function canonicalizeObject(schema: Record<string, unknown>, namespace: string, defined: Set<string>): string {
  const type = schema['type'];
  if (typeof type !== 'string') return canonicalize(type, namespace, defined);
  switch (type) {
    case 'record':
    case 'error':
      return canonicalizeRecord(schema, namespace, defined);
    case 'enum':
      return canonicalizeNamed(
        schema,
        namespace,
        defined,
        (name) => `{"name":${name},"type":"enum","symbols":[${stringArray(schema['symbols'], 'symbols').join(',')}]}`,
      );
    case 'fixed':
      return canonicalizeNamed(
        schema,
        namespace,
        defined,
        (name) => `{"name":${name},"type":"fixed","size":${integer(schema['size'], 'size')}}`,
      );
    case 'array':
      return `{"type":"array","items":${canonicalize(schema['items'], namespace, defined)}}`;
    case 'map':
      return `{"type":"map","values":${canonicalize(schema['values'], namespace, defined)}}`;
    default:
      return canonicalizeName(type, namespace);
  }
}

function canonicalizeRecord(schema: Record<string, unknown>, namespace: string, defined: Set<string>): string {
  return canonicalizeNamed(schema, namespace, defined, (name, innerNamespace) => {
    const fields = schema['fields'];
    if (!Array.isArray(fields)) throw new InvalidSchemaError(`record ${name} has no fields array`);
    const rendered = fields.map((field: Record<string, unknown>) => {
      const fieldName = JSON.stringify(requireString(field['name'], 'field name'));
      return `{"name":${fieldName},"type":${canonicalize(field['type'], innerNamespace, defined)}}`;
    });
    return `{"name":${name},"type":"record","fields":[${rendered.join(',')}]}`;
  });
}

function canonicalizeNamed(
  schema: Record<string, unknown>,
  namespace: string,
  defined: Set<string>,
  render: (quotedName: string, innerNamespace: string) => string,
): string {
  const declaredNamespace = typeof schema['namespace'] === 'string' ? schema['namespace'] : namespace;
  const name = fullName(requireString(schema['name'], 'name'), declaredNamespace);
  const quoted = JSON.stringify(name);
  if (defined.has(name)) return quoted;
  defined.add(name);
  return render(quoted, namespaceOf(name));
}

function fullName(name: string, namespace: string): string {
  if (name.includes('.') || namespace === '') return name;
  return `${namespace}.${name}`;
}

function namespaceOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot < 0 ? '' : name.slice(0, dot);
}

function requireString(value: unknown, what: string): string {
  if (typeof value !== 'string' || value === '') throw new InvalidSchemaError(`${what} must be a non-empty string`);
  return value;
}

function stringArray(value: unknown, what: string): string[] {
  if (!Array.isArray(value)) throw new InvalidSchemaError(`${what} must be an array`);
  return value.map((item) => JSON.stringify(requireString(item, what)));
}

function integer(value: unknown, what: string): string {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0)
    throw new InvalidSchemaError(`${what} must be a non-negative integer`);
  return String(value);
}
