import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const ROOT = resolve(__dirname, '..');
const DIST = join(ROOT, 'dist');
const build = () => promisify(execFile)(process.execPath, [join(ROOT, 'tools/build.js')], { cwd: ROOT });

// The fault and cluster suites (and the container entrypoint test) each build when they start,
// sometimes at the same moment, while services of another suite run from dist/.
describe('tools/build.js', () => {
  it('two builds at once both succeed, leave unchanged files in place and remove what no source produces', async () => {
    await build();
    const main = join(DIST, 'services/ingestion/src/main.js');
    const before = statSync(main);
    mkdirSync(join(DIST, 'libs'), { recursive: true });
    const stale = join(DIST, 'libs/no-such-source.js');
    writeFileSync(stale, 'module.exports = 1;\n');
    await Promise.all([build(), build()]);
    expect(existsSync(stale)).toBe(false);
    const after = statSync(main);
    // Same file, never removed or rewritten: a service running from dist/ keeps reading it.
    expect(after.ino).toBe(before.ino);
    expect(after.mtimeMs).toBe(before.mtimeMs);
  }, 60_000);
});
