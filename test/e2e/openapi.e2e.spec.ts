import { spawnSync } from 'node:child_process';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { eventually, REPO_ROOT, startRegistry, type TestRegistry } from '@modelreg/testing';
import { getJson, postJson, postReport, registerRun, runBody, uploadArtifact } from './registry-client';

type OpenApi = Record<string, any>;
const SERVICES = ['ingestion', 'gates', 'tracker', 'projections'] as const;
const DOCUMENT_ID = 'https://modelreg.dev/openapi.json';

/** The validator is an ES module, which jest cannot load: it runs in a node process of its own. */
function validateOpenApi(document: unknown): { valid: boolean; version: string; errors: unknown } {
  const script = `import { Validator } from '@seriousme/openapi-schema-validator';
    let text = ''; for await (const chunk of process.stdin) text += chunk;
    const validator = new Validator(); const result = await validator.validate(JSON.parse(text));
    process.stdout.write(JSON.stringify({ valid: result.valid, version: validator.version, errors: result.errors ?? [] }));`;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: REPO_ROOT,
    input: JSON.stringify(document),
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`the OpenAPI validator failed: ${run.stderr}`);
  return JSON.parse(run.stdout);
}

/** The JSON schema an operation declares for an answer, e.g. (post /v1/runs, 201). */
function declaredSchema(document: OpenApi, method: string, path: string, status: number): unknown {
  const schema = document['paths'][path]?.[method]?.responses?.[String(status)]?.content?.['application/json']?.schema;
  if (!schema) throw new Error(`${method} ${path} declares no JSON answer for ${status}`);
  return schema;
}

/** Checks answers against the document's own schemas (JSON Schema 2020-12) with ajv, formats included. */
function answerChecker(document: OpenApi) {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ $id: DOCUMENT_ID, components: document['components'] });
  return (method: string, path: string, answer: { status: number; body: unknown }) => {
    const schema = declaredSchema(document, method, path, answer.status) as { $ref: string };
    const validate = ajv.getSchema(`${DOCUMENT_ID}${schema.$ref}`);
    if (!validate) throw new Error(`no schema at ${schema.$ref}`);
    validate(answer.body);
    return validate.errors ?? [];
  };
}

/**
 * Each service's OpenAPI document (GET /docs/openapi.json) is valid OpenAPI 3.1 by a standard
 * validator, every operation declares its request and answers by named schemas (the route
 * contracts) and answers its errors as RFC 9457 problem details; the services' real answers
 * match the schemas they declare.
 */
describe('OpenAPI documents', () => {
  let registry: TestRegistry;

  beforeAll(async () => {
    registry = await startRegistry('openapi');
  });
  afterAll(() => registry?.stop());

  const documentOf = async (name: (typeof SERVICES)[number]): Promise<OpenApi> =>
    (await (await fetch(`${registry[name].url}/docs/openapi.json`)).json()) as OpenApi;

  it.each(SERVICES)('%s serves a valid OpenAPI 3.1 document with problem details on every operation', async (name) => {
    const document = await documentOf(name);
    const result = validateOpenApi(document);
    expect(result.errors).toEqual([]);
    expect(result).toMatchObject({ valid: true, version: '3.1' });
    expect(document['components'].schemas.ProblemDetails.required).toEqual(expect.arrayContaining(['type', 'title', 'status', 'detail']));
    const operations = Object.values(document['paths'] as Record<string, Record<string, any>>).flatMap((path) => Object.values(path));
    expect(operations.length).toBeGreaterThan(1);
    for (const operation of operations) {
      expect(operation.responses['4XX'].content['application/problem+json'].schema).toEqual({
        $ref: '#/components/schemas/ProblemDetails',
      });
      for (const [status, response] of Object.entries(operation.responses as Record<string, any>)) {
        if (/^[45]\d\d$/.test(status)) expect(Object.keys(response.content ?? {})).toContain('application/problem+json');
      }
    }
  });

  it.each(SERVICES)('%s declares a named request schema for every body and a schema for every successful answer', async (name) => {
    const document = await documentOf(name);
    const components = document['components'].schemas as Record<string, Record<string, unknown>>;
    const resolve = (schema: { $ref?: string }): Record<string, unknown> | undefined =>
      schema.$ref ? components[schema.$ref.replace('#/components/schemas/', '')] : schema;
    const undocumented: string[] = [];
    for (const [path, item] of Object.entries(document['paths'] as Record<string, Record<string, any>>)) {
      for (const [method, operation] of Object.entries(item)) {
        const where = `${method} ${path}`;
        for (const [mediaType, content] of Object.entries(
          (operation.requestBody?.content ?? {}) as Record<string, { schema: { $ref?: string } }>,
        )) {
          const schema = resolve(content.schema);
          const described =
            mediaType === 'application/octet-stream'
              ? schema?.['format'] === 'binary'
              : Boolean(schema?.['properties'] || schema?.['oneOf'] || schema?.['anyOf']);
          if (!described) undocumented.push(`${where} request ${mediaType}`);
          // The strict JSON parser's refusals (malformed, repeated keys) are a 400 of every JSON body.
          if (mediaType === 'application/json' && !operation.responses['400']) undocumented.push(`${where} 400`);
        }
        for (const [status, response] of Object.entries(operation.responses as Record<string, any>)) {
          if (!/^2\d\d$/.test(status)) continue;
          const contents = Object.values((response.content ?? {}) as Record<string, { schema?: { $ref?: string } }>);
          if (contents.length === 0 || contents.some((content) => !content.schema?.$ref || !resolve(content.schema)))
            undocumented.push(`${where} ${status}`);
        }
      }
    }
    expect(undocumented).toEqual([]);
  });

  it('answers as the documents declare: a registration, a version, gate decisions, a deployment report, a refusal', async () => {
    const [ingestionDoc, gatesDoc, trackerDoc, projectionsDoc] = await Promise.all(SERVICES.map(documentOf));
    const artifacts = {
      server: await uploadArtifact(registry.ingestion.url, 4096),
      mobile: await uploadArtifact(registry.ingestion.url, 2048),
    };
    const registered = await registerRun(registry.ingestion.url, runBody('contract-model', 'train-1', artifacts, { auc: 0.9 }));
    expect(registered.status).toBe(201);
    expect(answerChecker(ingestionDoc!)('post', '/v1/runs', registered)).toEqual([]);
    const stored = await getJson(`${registry.ingestion.url}/v1/artifacts/${artifacts.server.sha256}`);
    expect(answerChecker(ingestionDoc!)('get', '/v1/artifacts/{sha256}', stored)).toEqual([]);

    const version = await eventually(
      () => getJson(`${registry.projections.url}/v1/models/contract-model/versions/1`),
      (answer) => answer.status === 200,
      { what: 'contract-model v1 projected' },
    );
    expect(answerChecker(projectionsDoc!)('get', '/v1/models/{modelName}/versions/{version}', version)).toEqual([]);

    const decisions = await eventually(
      () => getJson(`${registry.gates.url}/v1/models/contract-model/versions/1/decisions`),
      (answer) => answer.body.items?.length === 1,
      { what: 'the gate decision on v1' },
    );
    expect(decisions.body.items[0].verdict).toBe('PASSED');
    expect(answerChecker(gatesDoc!)('get', '/v1/models/{modelName}/versions/{version}/decisions', decisions)).toEqual([]);
    const reEvaluated = await postJson(`${registry.gates.url}/v1/models/contract-model/versions/1/evaluations`, {});
    expect(reEvaluated.status).toBe(201);
    expect(answerChecker(gatesDoc!)('post', '/v1/models/{modelName}/versions/{version}/evaluations', reEvaluated)).toEqual([]);

    const where = { modelName: 'contract-model', service: 'scoring', surface: 'checkout', environment: 'production' };
    const canary = {
      kind: 'CANARY_STARTED',
      reportId: 'c1',
      reportedAt: new Date().toISOString(),
      deploymentId: 'd1',
      ...where,
      modelVersion: 1,
      trafficPercent: 10,
    };
    // A refusal is recorded under its report id, so each try until the tracker has seen the decision takes a new one.
    let attempt = 0;
    const reported = await eventually(
      () => postReport(registry.tracker.url, { ...canary, reportId: `c1-${(attempt += 1)}` }),
      (answer) => answer.status === 201,
      { what: 'the canary of v1 accepted' },
    );
    expect(answerChecker(trackerDoc!)('post', '/v1/deployments/reports', reported)).toEqual([]);
    const deployment = await getJson(`${registry.tracker.url}/v1/deployments/d1`);
    expect(answerChecker(trackerDoc!)('get', '/v1/deployments/{deploymentId}', deployment)).toEqual([]);

    // The contract refuses before the domain: each field by its JSON path, as problem details.
    const refused = await postReport(registry.tracker.url, {
      ...canary,
      reportId: 'refused-1',
      trafficPercent: 'ten',
      modelVersion: undefined,
    });
    expect(refused).toMatchObject({
      status: 422,
      body: {
        error: 'validation_failed',
        errors: [
          { field: 'modelVersion', message: 'is required' },
          { field: 'trafficPercent', message: 'must be a number' },
        ],
      },
    });
    const badKind = await postReport(registry.tracker.url, { ...canary, kind: 'CANARY_PAUSED' });
    expect(badKind.body['errors']).toEqual([
      { field: 'kind', message: expect.stringMatching(/^must be one of CANARY_STARTED, .*AB_TEST_CONCLUDED$/) },
    ]);
  });
});
