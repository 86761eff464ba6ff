import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

const REPO_ROOT = resolve(__dirname, '../..');

/** Runs the ESLint CLI on `code` as if it were the file at `path`, with the repository's own configuration. */
async function boundaryErrors(path: string, code: string): Promise<string[]> {
  const result = spawnSync(resolve(REPO_ROOT, 'node_modules/.bin/eslint'), ['--stdin', '--stdin-filename', path, '--format', 'json'], {
    cwd: REPO_ROOT,
    input: code,
    encoding: 'utf8',
    env: { ...process.env, NX_DAEMON: 'false' },
  });
  // Without a project graph the Nx rule skips itself with a warning: that must fail, not pass.
  expect(result.stdout).not.toMatch(/No cached ProjectGraph/);
  const [report] = JSON.parse(result.stdout) as Array<{ messages: Array<{ ruleId: string | null; message: string }> }>;
  return (report?.messages ?? []).filter((message) => message.ruleId === '@nx/enforce-module-boundaries').map((message) => message.message);
}

describe('Nx module boundaries (eslint.config.js)', () => {
  beforeAll(() => {
    const graph = spawnSync(resolve(REPO_ROOT, 'node_modules/.bin/nx'), ['show', 'projects'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      env: { ...process.env, NX_DAEMON: 'false' },
    });
    expect(graph.status).toBe(0);
  });

  it('fails a domain library that imports an adapter', async () => {
    const errors = await boundaryErrors(
      'libs/lineage/src/boundary-probe.ts',
      "import { KafkaEventPublisher } from '@modelreg/kafka';\nexport const probe = KafkaEventPublisher;\n",
    );
    expect(errors).toEqual([
      expect.stringMatching(/tagged with "type:domain" can only depend on libs tagged with "type:domain", "type:contracts", "type:util"/),
    ]);
  });

  it('fails a service that imports another service', async () => {
    const errors = await boundaryErrors(
      'services/ingestion/src/boundary-probe.ts',
      "import { ModelQueries } from '../../projections/src/query/model-queries';\nexport const probe = ModelQueries;\n",
    );
    expect(errors).toEqual([expect.stringMatching(/Projects cannot be imported by a relative or absolute path/)]);
  });

  it('fails a bounded context that reaches into another one', async () => {
    // Every other context reads lineage (a probe from it would close a cycle, reported instead): the gates domain reaches into projections.
    const errors = await boundaryErrors(
      'libs/gates/src/boundary-probe.ts',
      "import { toModelVersionRow } from '@modelreg/projections';\nexport const probe = toModelVersionRow;\n",
    );
    expect(errors).toEqual([expect.stringMatching(/can only depend on libs tagged with "scope:gates", "scope:lineage", "scope:shared"/)]);
  });

  it('fails a shared library that imports a bounded context', async () => {
    const errors = await boundaryErrors(
      'libs/service-runtime/src/boundary-probe.ts',
      "import { validateRunSubmission } from '@modelreg/lineage';\nexport const probe = validateRunSubmission;\n",
    );
    expect(errors).toEqual([expect.stringMatching(/tagged with "scope:shared" can only depend on libs tagged with "scope:shared"/)]);
  });

  it('passes a shared library that imports the shared validation rules', async () => {
    expect(
      await boundaryErrors(
        'libs/service-runtime/src/boundary-probe.ts',
        "import { isValidModelName } from '@modelreg/validation';\nexport const probe = isValidModelName;\n",
      ),
    ).toEqual([]);
  });

  it('passes a service that imports a domain library through its public index', async () => {
    expect(
      await boundaryErrors(
        'services/ingestion/src/boundary-probe.ts',
        "import { validateRunSubmission } from '@modelreg/lineage';\nexport const probe = validateRunSubmission;\n",
      ),
    ).toEqual([]);
  });
});
