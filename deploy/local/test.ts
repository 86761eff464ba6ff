// npm test: type-check, lint, formatting, schema compatibility, then every jest test (unit, integration and
// end-to-end) and the Python client's pytest suite against the real local stack, which is started if
// needed and stopped again if this run started it. Extra arguments go to jest (and skip pytest).
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
  step('format', bin('prettier'), ['--check', '--log-level', 'warn', '.']);
  step('schemas', process.execPath, ['tools/run.js', 'libs/events/src/cli/schemas-check.ts']);
  ensureChromium(process.env['CHROMIUM_PATH'] ?? DEFAULT_CHROMIUM, print);
  const stackWasUp = await stackStatus(() => undefined);
  await stackUp(process.env, print);
  // Before jest: end-to-end tests sign artifacts with the venv's model-signing tool.
  preparePythonVenv();
  const resultsFile = resolve(REPO_ROOT, '.local/jest-results.json');
  rmSync(resultsFile, { force: true });
  const jest = spawnSync(
    process.execPath,
    [resolve(REPO_ROOT, 'node_modules/jest/bin/jest.js'), '--ci', '--maxWorkers=2', '--json', `--outputFile=${resultsFile}`, ...jestArgs],
    { cwd: REPO_ROOT, stdio: 'inherit' },
  );
  const python = jestArgs.length === 0 ? runPytest() : null;
  if (!stackWasUp && process.env['MODELREG_KEEP_STACK'] !== '1') await stackDown(print);
  const totals = { passed: 0, failed: 0, skipped: 0 };
  if (existsSync(resultsFile)) {
    const results = JSON.parse(readFileSync(resultsFile, 'utf8')) as {
      numPassedTests: number;
      numFailedTests: number;
      numPendingTests: number;
    };
    print(`jest: ${results.numPassedTests} passed, ${results.numFailedTests} failed, ${results.numPendingTests} skipped`);
    totals.passed += results.numPassedTests;
    totals.failed += results.numFailedTests;
    totals.skipped += results.numPendingTests;
  }
  if (python) {
    print(`pytest: ${python.summary}`);
    totals.passed += python.passed;
    totals.failed += python.failed;
    totals.skipped += python.skipped;
  } else print('pytest: not run (jest arguments were given)');
  print(`finished in ${Math.round((Date.now() - started) / 1000)} s`);
  console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
  return jest.status !== 0 ? (jest.status ?? 1) : python && python.status !== 0 ? python.status : 0;
}

const venv = resolve(REPO_ROOT, '.local/python-venv');
const pythonBin = resolve(venv, 'bin/python');

/** The virtualenv under .local with the Python client and its test extras (pytest, MLflow, model-signing). */
function preparePythonVenv(): void {
  if (!existsSync(pythonBin)) step('python venv', 'python3', ['-m', 'venv', venv]);
  print(`python client install: ${pythonBin} -m pip install .[test]`);
  const install = spawnSync(pythonBin, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '.[test]'], {
    cwd: resolve(REPO_ROOT, 'clients/python'),
    stdio: 'inherit',
  });
  if (install.status !== 0) {
    print('python client install failed');
    process.exit(install.status ?? 1);
  }
}

/**
 * The Python client's tests (clients/python) in a virtualenv under .local, against the same stack.
 * pytest's exit status 5 (no test collected) is a failure too.
 */
function runPytest(): { status: number; summary: string; passed: number; failed: number; skipped: number } {
  const client = resolve(REPO_ROOT, 'clients/python');
  const report = resolve(REPO_ROOT, '.local/pytest-results.xml');
  const run = (name: string, command: string, args: string[]) => {
    print(`${name}: ${command} ${args.join(' ')}`);
    return spawnSync(command, args, { cwd: client, stdio: 'inherit' }).status ?? 1;
  };
  if (run('python type-check', pythonBin, ['-m', 'mypy']) !== 0)
    return { status: 1, summary: 'python type-check failed', passed: 0, failed: 1, skipped: 0 };
  rmSync(report, { force: true });
  const status = run('pytest', pythonBin, ['-m', 'pytest', '--junitxml', report, 'tests']);
  const suite = existsSync(report) ? (/<testsuite [^>]*>/.exec(readFileSync(report, 'utf8'))?.[0] ?? '') : '';
  const count = (name: string) => Number(new RegExp(`\\b${name}="(\\d+)"`).exec(suite)?.[1] ?? 0);
  const failed = count('failures') + count('errors');
  const skipped = count('skipped');
  const passed = count('tests') - failed - skipped;
  const summary =
    status === 5 ? 'no test was collected (exit 5)' : `${passed} passed, ${failed} failed, ${skipped} skipped (exit ${status})`;
  return { status: status === 5 ? 1 : status, summary, passed, failed: status !== 0 && failed === 0 ? 1 : failed, skipped };
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`[test] ${error.message}`);
    process.exit(1);
  },
);
