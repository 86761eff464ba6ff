import { copyTextLine } from './copy-rows';

describe("COPY's text format", () => {
  it('separates columns with tabs and ends the row with a newline', () => {
    expect(copyTextLine(['model', 3, true])).toBe('model\t3\ttrue\n');
  });

  it('writes null as \\N, and a string that reads \\N escaped so it stays a string', () => {
    expect(copyTextLine([null, '\\N'])).toBe('\\N\t\\\\N\n');
  });

  it('escapes backslash, newline, carriage return and tab inside values', () => {
    expect(copyTextLine(['{"path":"C:\\\\data","note":"a\tb\nc\rd"}'])).toBe('{"path":"C:\\\\\\\\data","note":"a\\tb\\nc\\rd"}\n');
  });
});
