import { INPUT_LIMITS } from './limits';

/** Why a JSON text was refused: where (character offset, line and column) and, for a repeated key, the key and its path. */
export interface JsonProblem {
  message: string;
  /** Offset of the offending character, in UTF-16 code units from the start of the text. */
  position: number;
  line: number;
  column: number;
  /** The repeated key and where it is, e.g. `labels.team` or `metrics.slices[2].metrics.auc`. */
  duplicateKey?: { key: string; path: string };
}

export type StrictJsonResult = { ok: true; value: unknown } | { ok: false; problem: JsonProblem };

type Frame = { kind: 'object'; keys: Set<string>; key: string } | { kind: 'array'; index: number };

/** A run of string content that needs no attention: no quote, backslash or control character. */
const PLAIN_CHARACTERS = /[^"\\\u0000-\u001f]*/y;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const SIMPLE_ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);
const HEX4 = /^[0-9a-fA-F]{4}$/;
const PLAIN_KEY = /^[A-Za-z_$][A-Za-z0-9_$@-]*$/;

class JsonRefusal extends Error {
  constructor(
    message: string,
    readonly position: number,
    readonly duplicateKey?: { key: string; path: string },
  ) {
    super(message);
  }
}

/**
 * JSON.parse, except that a key repeated within one object is refused (JSON.parse silently keeps
 * the last value, so a reviewer and the registry could read different documents) and every
 * refusal names its position. Nesting deeper than `maxDepth` is refused too. One validating pass
 * over the text, then the native parser builds the value.
 */
export function parseStrictJson(text: string, maxDepth: number = INPUT_LIMITS.jsonDepth): StrictJsonResult {
  try {
    new StrictJsonScanner(text, maxDepth).scan();
  } catch (error) {
    if (!(error instanceof JsonRefusal)) throw error;
    const before = text.slice(0, error.position);
    const line = before.split('\n').length;
    const column = error.position - before.lastIndexOf('\n');
    const where = `at position ${error.position} (line ${line}, column ${column})`;
    return {
      ok: false,
      problem: {
        message: `${error.message} ${where}`,
        position: error.position,
        line,
        column,
        ...(error.duplicateKey ? { duplicateKey: error.duplicateKey } : {}),
      },
    };
  }
  return { ok: true, value: JSON.parse(text) };
}

class StrictJsonScanner {
  private i = 0;
  private readonly stack: Frame[] = [];

  constructor(
    private readonly text: string,
    private readonly maxDepth: number,
  ) {}

  scan(): void {
    let expectValue = true;
    for (;;) {
      this.skipWhitespace();
      if (expectValue) {
        expectValue = this.value();
        continue;
      }
      const frame = this.stack[this.stack.length - 1];
      const char = this.text[this.i];
      if (!frame) {
        if (this.i < this.text.length) throw new JsonRefusal(`unexpected ${describe(char)} after the JSON value`, this.i);
        return;
      }
      const close = frame.kind === 'object' ? '}' : ']';
      if (char === ',') {
        this.i += 1;
        if (frame.kind === 'array') {
          frame.index += 1;
          expectValue = true;
        } else {
          this.skipWhitespace();
          this.key(frame);
          expectValue = true;
        }
      } else if (char === close) {
        this.i += 1;
        this.stack.pop();
      } else {
        throw new JsonRefusal(`expected "," or "${close}" but found ${describe(char)}`, this.i);
      }
    }
  }

  /** One value; an object or array opens a frame that scan() closes. True when a member's value or an item comes next. */
  private value(): boolean {
    const char = this.text[this.i];
    if (char === '{' || char === '[') {
      if (this.stack.length >= this.maxDepth) throw new JsonRefusal(`nesting deeper than ${this.maxDepth} levels`, this.i);
      this.i += 1;
      this.skipWhitespace();
      if (char === '[') {
        this.stack.push({ kind: 'array', index: 0 });
        return this.text[this.i] !== ']';
      }
      const frame: Frame = { kind: 'object', keys: new Set(), key: '' };
      this.stack.push(frame);
      if (this.text[this.i] === '}') return false;
      this.key(frame);
      return true;
    }
    if (char === '"') this.string();
    else if (char === '-' || (char !== undefined && char >= '0' && char <= '9')) this.number();
    else if (!this.literal('true') && !this.literal('false') && !this.literal('null'))
      throw new JsonRefusal(`found ${describe(char)} where a JSON value belongs`, this.i);
    return false;
  }

  /** A member's key and its colon; a key already seen in this object is refused. */
  private key(frame: Extract<Frame, { kind: 'object' }>): void {
    const start = this.i;
    if (this.text[start] !== '"')
      throw new JsonRefusal(`expected a property name in double quotes but found ${describe(this.text[start])}`, start);
    const escaped = this.string();
    const key = escaped ? (JSON.parse(this.text.slice(start, this.i)) as string) : this.text.slice(start + 1, this.i - 1);
    if (frame.keys.has(key)) {
      frame.key = key;
      const path = this.path();
      throw new JsonRefusal(`duplicate key ${JSON.stringify(key)} at ${path}`, start, { key, path });
    }
    frame.keys.add(key);
    frame.key = key;
    this.skipWhitespace();
    if (this.text[this.i] !== ':')
      throw new JsonRefusal(`expected ":" after the property name but found ${describe(this.text[this.i])}`, this.i);
    this.i += 1;
  }

  /** Skips a string; true when it holds an escape. */
  private string(): boolean {
    const start = this.i;
    let j = start + 1;
    let escaped = false;
    for (;;) {
      PLAIN_CHARACTERS.lastIndex = j;
      PLAIN_CHARACTERS.test(this.text);
      j = PLAIN_CHARACTERS.lastIndex;
      if (j >= this.text.length) throw new JsonRefusal('unterminated string', start);
      const code = this.text.charCodeAt(j);
      if (code === 0x22) break;
      if (code === 0x5c) {
        escaped = true;
        const escape = this.text[j + 1];
        if (escape !== undefined && SIMPLE_ESCAPES.has(escape)) j += 2;
        else if (escape === 'u' && HEX4.test(this.text.slice(j + 2, j + 6))) j += 6;
        else throw new JsonRefusal('invalid escape in string', j);
      } else if (code < 0x20) {
        throw new JsonRefusal('unescaped control character in string', j);
      } else j += 1;
    }
    this.i = j + 1;
    return escaped;
  }

  private number(): void {
    NUMBER.lastIndex = this.i;
    const match = NUMBER.exec(this.text);
    if (!match) throw new JsonRefusal('invalid number', this.i);
    this.i += match[0].length;
  }

  private literal(word: string): boolean {
    if (!this.text.startsWith(word, this.i)) return false;
    this.i += word.length;
    return true;
  }

  private skipWhitespace(): void {
    for (;;) {
      const code = this.text.charCodeAt(this.i);
      if (code !== 0x20 && code !== 0x0a && code !== 0x0d && code !== 0x09) return;
      this.i += 1;
    }
  }

  /** The path of the current member in the field notation of validation errors. */
  private path(): string {
    let path = '';
    for (const frame of this.stack) {
      if (frame.kind === 'array') path += `[${frame.index}]`;
      else if (PLAIN_KEY.test(frame.key)) path += path === '' ? frame.key : `.${frame.key}`;
      else path += `[${JSON.stringify(frame.key)}]`;
    }
    return path;
  }
}

function describe(char: string | undefined): string {
  return char === undefined ? 'the end of the input' : JSON.stringify(char);
}
