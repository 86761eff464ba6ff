import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

const REPO_ROOT = resolve(__dirname, '../..');

/** Runs a tool from node_modules/.bin in the repository root, so it reads the repository's own configuration. */
const run = (tool: string, args: string[], input = '') =>
  spawnSync(resolve(REPO_ROOT, 'node_modules/.bin', tool), args, { cwd: REPO_ROOT, input, encoding: 'utf8' });

/** The lines ESLint's max-len flags in `code` linted as if it were the file at `path`. */
function tooLongLines(path: string, code: string): number[] {
  const result = run('eslint', ['--stdin', '--stdin-filename', path, '--format', 'json'], code);
  // The report is the last line: without a project graph the Nx boundary rule prints a warning before it (not needed here).
  const [report] = JSON.parse(result.stdout.trim().split('\n').pop()!) as Array<{
    messages: Array<{ ruleId: string | null; line: number }>;
  }>;
  return (report?.messages ?? []).filter((message) => message.ruleId === 'max-len').map((message) => message.line);
}

/** A statement `columns` characters wide whose width sits in a string, which Prettier never breaks. */
const lineOf = (columns: number) => `export const s = '${'x'.repeat(columns - 20)}';\n`;

describe('formatting (eslint.config.js, .prettierrc.json, .prettierignore)', () => {
  it('fails a line over 140 columns in TypeScript and JavaScript, strings included', () => {
    expect(lineOf(141)).toHaveLength(141 + 1);
    expect(tooLongLines('libs/lineage/src/width-probe.ts', lineOf(140) + lineOf(141))).toEqual([2]);
    expect(tooLongLines('tools/width-probe.js', lineOf(141))).toEqual([1]);
  });

  it('checks the .ts and .js files and leaves JSON data alone', () => {
    const fileInfo = (path: string) => JSON.parse(run('prettier', ['--file-info', path]).stdout) as unknown;
    expect(fileInfo('libs/lineage/src/index.ts')).toEqual({ ignored: false, inferredParser: 'typescript' });
    expect(fileInfo('services/projections/src/dashboard/dashboard.js')).toEqual({ ignored: false, inferredParser: 'babel' });
    expect(fileInfo('schemas/lineage/RunRegistered/v1.avsc')).toEqual({ ignored: true, inferredParser: null });
  });

  it('flags code not laid out with the repository settings (single quotes, 140 columns)', () => {
    const check = (code: string) => run('prettier', ['--check', '--stdin-filepath', 'libs/lineage/src/probe.ts'], code).status;
    expect(check("export const a = { b: 'c' };\n")).toBe(0);
    expect(check('export const a = { b: "c" };\n')).not.toBe(0);
    const wide = `export const list = [${Array.from({ length: 12 }, (_, i) => `'item${i}'`).join(', ')}];\n`;
    expect(wide.length).toBeLessThan(140);
    expect(check(wide)).toBe(0);
  });
});
