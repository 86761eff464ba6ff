import { spawnSync } from 'node:child_process';
import { REPO_ROOT, startRegistry, type TestRegistry } from '@modelreg/testing';

/** The validator is an ES module, which jest cannot load: it runs in a node process of its own. */
function validateOpenApi(document: unknown): { valid: boolean; version: string; errors: unknown } {
  const script = `import { Validator } from '@seriousme/openapi-schema-validator';
    let text = ''; for await (const chunk of process.stdin) text += chunk;
    const validator = new Validator(); const result = await validator.validate(JSON.parse(text));
    process.stdout.write(JSON.stringify({ valid: result.valid, version: validator.version, errors: result.errors ?? [] }));`;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: REPO_ROOT, input: JSON.stringify(document), encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`the OpenAPI validator failed: ${run.stderr}`);
  return JSON.parse(run.stdout);
}

/**
 * Each service's OpenAPI document (GET /docs/openapi.json) is valid OpenAPI 3.1 by a standard
 * validator, and every operation answers its errors as RFC 9457 problem details.
 */
describe('OpenAPI documents', () => {
  let registry: TestRegistry;

  beforeAll(async () => {
    registry = await startRegistry('openapi');
  });
  afterAll(() => registry?.stop());

  it.each(['ingestion', 'gates', 'tracker', 'projections'] as const)('%s serves a valid OpenAPI 3.1 document with problem details on every operation', async (name) => {
    const document = (await (await fetch(`${registry[name].url}/docs/openapi.json`)).json()) as Record<string, any>;
    const result = validateOpenApi(document);
    expect(result.errors).toEqual([]);
    expect(result).toMatchObject({ valid: true, version: '3.1' });
    expect(document['components'].schemas.ProblemDetails.required).toEqual(expect.arrayContaining(['type', 'title', 'status', 'detail']));
    const operations = Object.values(document['paths'] as Record<string, Record<string, any>>).flatMap((path) => Object.values(path));
    expect(operations.length).toBeGreaterThan(1);
    for (const operation of operations) {
      expect(operation.responses['4XX'].content['application/problem+json'].schema).toEqual({ $ref: '#/components/schemas/ProblemDetails' });
      for (const [status, response] of Object.entries(operation.responses as Record<string, any>)) {
        if (/^[45]\d\d$/.test(status)) expect(Object.keys(response.content ?? {})).toContain('application/problem+json');
      }
    }
  });
});
