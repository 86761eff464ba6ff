import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { toParsingCanonicalForm } from './canonical-form';
import { fingerprintBytes, schemaFingerprint } from './rabin-fingerprint';

interface SchemaVector {
  id: string;
  input: string;
  canonical: string;
  fingerprint?: bigint;
}

/** Parses the Avro project's schema test file: `<<INPUT`, `<<canonical`, `<<fingerprint` per case. */
function readVectors(): SchemaVector[] {
  const lines = readFileSync(join(__dirname, '__fixtures__', 'avro-schema-tests.txt'), 'utf8').split('\n');
  const vectors: SchemaVector[] = [];
  let current: Partial<SchemaVector> = {};
  let id = '';
  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index] as string;
    const caseId = /^\/\/ (\d{3})\s*$/.exec(line);
    if (caseId) id = caseId[1] as string;
    if (line.startsWith('<<INPUT')) {
      if (current.input !== undefined) vectors.push(current as SchemaVector);
      current = { id };
      if (line.trim() === '<<INPUT') {
        const body: string[] = [];
        for (index += 1; lines[index] !== 'INPUT'; index += 1) body.push(lines[index] as string);
        current.input = body.join('\n');
      } else {
        current.input = line.slice('<<INPUT '.length);
      }
    } else if (line.startsWith('<<canonical ')) {
      current.canonical = line.slice('<<canonical '.length);
    } else if (line.startsWith('<<fingerprint ')) {
      current.fingerprint = BigInt(line.slice('<<fingerprint '.length).trim());
    }
  }
  if (current.input !== undefined) vectors.push(current as SchemaVector);
  return vectors;
}

const vectors = readVectors();

describe('Avro Parsing Canonical Form and CRC-64-AVRO, against the Avro project vectors', () => {
  it('reads every case of the vector file', () => {
    expect(vectors).toHaveLength(34);
    expect(vectors.filter((vector) => vector.fingerprint !== undefined)).toHaveLength(26);
  });

  it.each(vectors.map((vector) => [vector.id, vector] as const))('case %s: canonical form', (_id, vector) => {
    expect(toParsingCanonicalForm(JSON.parse(vector.input))).toBe(vector.canonical);
  });

  const fingerprinted = vectors.filter((vector) => vector.fingerprint !== undefined);
  it.each(fingerprinted.map((vector) => [vector.id, vector] as const))('case %s: fingerprint', (_id, vector) => {
    expect(schemaFingerprint(vector.canonical)).toBe(vector.fingerprint);
  });

  it('writes the fingerprint little-endian, as single-object encoding requires', () => {
    // "null" has fingerprint 7195948357588979594 = 0x63dd24e7cc258f8a
    expect(fingerprintBytes(schemaFingerprint('"null"')).toString('hex')).toBe('8a8f25cce724dd63');
  });
});
