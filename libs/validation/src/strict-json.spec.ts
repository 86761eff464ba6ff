import fc from 'fast-check';
import { parseStrictJson, type JsonProblem } from './strict-json';

function problemOf(text: string, maxDepth?: number): JsonProblem {
  const result = parseStrictJson(text, maxDepth);
  if (result.ok) throw new Error(`expected ${text} to be refused`);
  return result.problem;
}

describe('parseStrictJson', () => {
  it.each([
    ['an object', '{"a": 1, "b": [true, false, null], "c": {"d": "e"}}'],
    ['an array at the top', ' [1, -2.5e-3, "x\\u0041\\n", {}] '],
    ['a bare string', '"plain"'],
    ['keys that differ only by escaping', '{"a\\u0062": 1, "ab2": 2}'],
    ['the same key in sibling objects', '{"x": {"k": 1}, "y": {"k": 2}, "z": [{"k": 1}, {"k": 2}]}'],
    ['a huge exponent (the validators refuse Infinity)', '{"n": 1e400}'],
  ])('parses %s exactly as JSON.parse does', (_case, text) => {
    expect(parseStrictJson(text)).toEqual({ ok: true, value: JSON.parse(text) });
  });

  it('agrees with JSON.parse on any JSON value without repeated keys', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = JSON.stringify(value, null, 1);
        expect(parseStrictJson(text)).toEqual({ ok: true, value: JSON.parse(text) });
      }),
    );
  });

  it('refuses whatever JSON.parse refuses', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('{', '}', '[', ']', '"', ':', ',', '1', '-', 'e', '.', 'a', 't', 'n', ' ', '\\', 'u', '0') }),
        (text) => {
          let native = true;
          try {
            JSON.parse(text);
          } catch {
            native = false;
          }
          if (!native) expect(parseStrictJson(text).ok).toBe(false);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it.each([
    ['at the top level', '{"a": 1, "a": 2}', 'a', 'a', 9],
    ['nested in objects', '{"labels": {"team": "x", "team": "y"}}', 'team', 'labels.team', 25],
    [
      'inside an array item',
      '{"metrics": {"slices": [{"slice": "a"}, {"slice": "b", "slice": "c"}]}}',
      'slice',
      'metrics.slices[1].slice',
      55,
    ],
    ['written with an escape', '{"seeds": {"numpy": 1, "nump\\u0079": 2}}', 'numpy', 'seeds.numpy', 23],
    ['that is not an identifier', '{"labels": {"a.b": 1, "a.b": 2}}', 'a.b', 'labels["a.b"]', 22],
  ])('refuses a repeated key %s, naming the key, its path and position', (_case, text, key, path, position) => {
    const problem = problemOf(text);
    expect(problem).toMatchObject({ duplicateKey: { key, path }, position, line: 1, column: position + 1 });
    expect(problem.message).toBe(
      `duplicate key ${JSON.stringify(key)} at ${path} at position ${position} (line 1, column ${position + 1})`,
    );
  });

  it.each([
    ['a truncated document', '{"modelName": ', 14, /where a JSON value belongs at position 14/],
    ['a trailing comma', '{"a": 1,}', 8, /expected a property name/],
    ['a missing colon', '{"a" 1}', 5, /expected ":"/],
    ['single quotes', "{'a': 1}", 1, /property name in double quotes/],
    ['an unterminated string', '{"a": "abc', 6, /unterminated string/],
    ['a raw newline in a string', '{"a": "x\ny"}', 8, /unescaped control character/],
    ['a bad escape', '{"a": "\\x41"}', 7, /invalid escape/],
    ['NaN', '{"a": NaN}', 6, /"N" where a JSON value belongs/],
    ['a leading zero', '[01]', 2, /expected "," or "]"/],
    ['data after the value', '{} {}', 3, /after the JSON value/],
    ['an empty text', '', 0, /the end of the input/],
  ])('refuses %s, naming the position', (_case, text, position, message) => {
    const problem = problemOf(text);
    expect(problem.position).toBe(position);
    expect(problem.message).toMatch(message);
    expect(problem.duplicateKey).toBeUndefined();
  });

  it('counts lines and columns', () => {
    expect(problemOf('{\n  "a": 1,\n  "a": 2\n}')).toMatchObject({ line: 3, column: 3, position: 14 });
  });

  it('refuses nesting deeper than the limit, without exhausting the stack', () => {
    expect(parseStrictJson('[[[]]]', 3).ok).toBe(true);
    expect(problemOf('[[[[]]]]', 3).message).toMatch(/nesting deeper than 3 levels at position 3/);
    expect(problemOf('['.repeat(1_000_000)).message).toMatch(/nesting deeper than 64 levels/);
  });
});
