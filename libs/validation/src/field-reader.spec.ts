import { FieldReader } from './field-reader';
import { INPUT_LIMITS } from './limits';

function textErrors(value: unknown, options = {}) {
  const r = new FieldReader();
  r.text(value, 'labels.team', options);
  return r.errors;
}

function entriesOf(value: unknown, options = {}) {
  const r = new FieldReader();
  const entries = r.entries(value, 'labels', options);
  return { entries, errors: r.errors };
}

describe('FieldReader.text: only strings every store accepts', () => {
  it.each([
    ['U+0000', 'fraud\u0000team', /U\+0000/],
    ['a lone high surrogate', 'fraud\uD800team', /unpaired UTF-16 surrogate/],
    ['a lone low surrogate', '\uDC00fraud', /unpaired UTF-16 surrogate/],
    ['a high surrogate at the end', 'fraud\uD83D', /unpaired UTF-16 surrogate/],
    ['two high surrogates', '\uD83D\uD83D\uDE00', /unpaired UTF-16 surrogate/],
    ['a control character', 'a\u0007b', /control characters/],
    ['a newline', 'a\nb', /control characters/],
    ['more than the field allows', 'x'.repeat(257), /at most 256 characters, got 257/],
    ['only spaces', '   ', /must not be empty/],
    ['a number', 42, /must be a string/],
  ])('refuses %s', (_case, value, message) => {
    expect(textErrors(value)).toEqual([{ field: 'labels.team', message: expect.stringMatching(message) }]);
  });

  it.each([
    ['an emoji (a surrogate pair)', 'fraud 😀 team'],
    ['accents and CJK', 'équipe 不正'],
    ['exactly the limit', 'x'.repeat(INPUT_LIMITS.textChars)],
  ])('accepts %s', (_case, value) => {
    expect(textErrors(value)).toEqual([]);
  });
});

describe('FieldReader.entries: map keys are validated like values, and maps are bounded', () => {
  it('returns the entries of a well-formed map', () => {
    expect(entriesOf({ team: 'fraud', 'cost-centre': '42' })).toEqual({
      entries: [
        ['team', 'fraud'],
        ['cost-centre', '42'],
      ],
      errors: [],
    });
  });

  it.each([
    ['U+0000 in a key', { 'te\u0000am': 'x' }, 'key "te\\u0000am" must not contain U+0000 (NUL)'],
    [
      'a lone surrogate in a key',
      { 'te\uD800am': 'x' },
      'key "te\\ud800am" must not contain an unpaired UTF-16 surrogate (U+D800 to U+DFFF)',
    ],
    ['an empty key', { '': 'x' }, 'key "" must not be empty'],
    [
      'a 1 MB key (quoted short)',
      { ['k'.repeat(1024 * 1024)]: 'x' },
      `key "${'k'.repeat(40)}"… must be at most 256 characters, got 1048576`,
    ],
  ])('refuses %s on the map field, leaving the entry out', (_case, map, message) => {
    expect(entriesOf({ ok: 'y', ...map })).toEqual({ entries: [['ok', 'y']], errors: [{ field: 'labels', message }] });
  });

  it('refuses a key that does not match the pattern, with the hint', () => {
    expect(entriesOf({ AUC: 1 }, { pattern: /^[a-z]+$/, patternHint: 'must be a lower-case metric name' }).errors).toEqual([
      { field: 'labels', message: 'key "AUC" must be a lower-case metric name' },
    ]);
  });

  it('refuses more entries than the limit without reading them', () => {
    const map = Object.fromEntries(Array.from({ length: INPUT_LIMITS.mapEntries + 1 }, (_, index) => [`k${index}`, '\u0000']));
    expect(entriesOf(map)).toEqual({
      entries: [],
      errors: [{ field: 'labels', message: `must have at most ${INPUT_LIMITS.mapEntries} entries, got ${INPUT_LIMITS.mapEntries + 1}` }],
    });
    expect(entriesOf({ a: 1, b: 2 }, { maxEntries: 1 }).errors).toEqual([
      { field: 'labels', message: 'must have at most 1 entries, got 2' },
    ]);
  });

  it('refuses a value that is not an object', () => {
    expect(entriesOf(['a']).errors).toEqual([{ field: 'labels', message: 'must be an object' }]);
  });
});
