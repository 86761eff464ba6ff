// npm test: type-check, lint, schema compatibility, then every jest test (unit, integration and
// end-to-end) against the real local stack, which is started if needed and stopped again if this
// run started it. Extra arguments go to jest.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { DEFAULT_CHROMIUM, ensureChromium, REPO_ROOT, stackDown, stackStatus, stackUp } from './src';

const print = (line: string) => console.log(`[test] ${line}`);

function step(name: string, command: string, args: string[]): void {
  print(`${name}: ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { cwd: REPO_ROOT, stdio: 'inherit' });
  if (result.status !== 0) {
    print(`${name} failed`);
    process.exit(result.status ?? 1);
  }
}

async function main(jestArgs: string[]): Promise<number> {
  const started = Date.now();
  const bin = (name: string) => resolve(REPO_ROOT, 'node_modules/.bin', name);
  step('typecheck', bin('tsc'), ['-p', 'tsconfig.json', '--noEmit']);
  // The Nx boundary rule needs the project graph; without it the rule skips itself.
  step('project graph', bin('nx'), ['show', 'projects']);
  step('lint', bin('eslint'), ['.', '--max-warnings=0']);
  step('schemas', process.execPath, ['tools/run.js', 'libs/events/src/cli/schemas-check.ts']);
  ensureChromium(process.env['CHROMIUM_PATH'] ?? DEFAULT_CHROMIUM, print);
  const stackWasUp = await stackStatus(() => undefined);
  await stackUp(process.env, print);
  const resultsFile = resolve(REPO_ROOT, '.local/jest-results.json');
  rmSync(resultsFile, { force: true });
  const jest = spawnSync(process.execPath, [resolve(REPO_ROOT, 'node_modules/jest/bin/jest.js'), '--ci', '--maxWorkers=2', '--json', `--outputFile=${resultsFile}`, ...jestArgs], { cwd: REPO_ROOT, stdio: 'inherit' });
  if (!stackWasUp && process.env['MODELREG_KEEP_STACK'] !== '1') await stackDown(print);
  if (existsSync(resultsFile)) {
    const results = JSON.parse(readFileSync(resultsFile, 'utf8')) as { numPassedTests: number; numFailedTests: number; numPendingTests: number };
    print(`finished in ${Math.round((Date.now() - started) / 1000)} s`);
    console.log(`${results.numPassedTests} passed, ${results.numFailedTests} failed, ${results.numPendingTests} skipped`);
  }
  return jest.status ?? 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`[test] ${error.message}`);
    process.exit(1);
  },
);
