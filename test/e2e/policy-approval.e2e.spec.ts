import { createTestEnvironment, startService, testIssuer, type RunningService, type TestEnvironment } from '@modelreg/testing';
import { getJson } from './registry-client';

/** Loosening a policy waits for a second policy admin; tightening publishes at once. */
describe('policy loosening needs a second policy admin', () => {
  let environment: TestEnvironment;
  let gates: RunningService;

  beforeAll(async () => {
    environment = await createTestEnvironment('policy-approval');
    gates = await startService('gate-validator', environment.env);
  });

  afterAll(async () => {
    await gates?.stop();
    await environment?.dispose();
  });

  /** A policy admin of the test issuer with a subject of its own: two of them make two people. */
  const policyAdmin = async (subject: string) =>
    `Bearer ${await (await testIssuer()).mint({ subject, roles: ['policy-admin'], models: ['*'], placements: ['*/*'] })}`;
  const post = async (path: string, body: unknown, authorization: string | null) => {
    const response = await fetch(`${gates.url}${path}`, {
      method: 'POST',
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    });
    return { status: response.status, body: (await response.json()) as Record<string, any> };
  };

  const defaultV1 = async () => {
    const policy = (await getJson(`${gates.url}/v1/policies/default/versions/1`)).body;
    delete policy.contentHash;
    return policy;
  };

  it('records a looser version as a proposal, not in force, until a second, different policy admin approves it', async () => {
    const alice = await policyAdmin('alice');
    const bob = await policyAdmin('bob');
    const looser = {
      ...(await defaultV1()),
      version: 2,
      checks: (await defaultV1()).checks.filter((check: { id: string }) => check.id !== 'mobile-size'),
    };
    const proposed = await post('/v1/policies', looser, alice);
    expect(proposed).toMatchObject({
      status: 202,
      body: {
        kind: 'proposed',
        policyId: 'default',
        policyVersion: 2,
        loosening: ['checks.mobile-size: removed'],
        proposalId: expect.any(String),
      },
    });
    expect((await post('/v1/policies', looser, alice)).body['proposalId']).toBe(proposed.body['proposalId']);
    expect((await getJson(`${gates.url}/v1/policies`)).body.items).toEqual([expect.objectContaining({ policyId: 'default', version: 1 })]);

    const approve = `/v1/policies/proposals/${proposed.body['proposalId']}/approve`;
    expect((await post(approve, {}, null)).status).toBe(401);
    expect((await post(approve, {}, `Bearer ${(await testIssuer()).tokens.reader}`)).status).toBe(403);
    const byProposer = await post(approve, {}, alice);
    expect(byProposer).toMatchObject({ status: 403, body: { message: expect.stringMatching(/proposer|other than|different/i) } });
    expect((await getJson(`${gates.url}/v1/policies`)).body.items).toEqual([expect.objectContaining({ policyId: 'default', version: 1 })]);
    expect((await post('/v1/policies/proposals/00000000-0000-4000-a000-000000000000/approve', {}, bob)).status).toBe(404);

    const approved = await post(approve, {}, bob);
    expect(approved).toMatchObject({ status: 201, body: { kind: 'published', policyId: 'default', policyVersion: 2 } });
    expect((await getJson(`${gates.url}/v1/policies`)).body.items).toEqual([expect.objectContaining({ policyId: 'default', version: 2 })]);
    expect((await post(approve, {}, bob)).status).toBe(409);
  });

  it('publishes a stricter version at once', async () => {
    const stricter = { ...(await defaultV1()), version: 3 };
    stricter.checks = stricter.checks.map((check: { id: string }) =>
      check.id === 'auc-improvement' ? { ...check, change: { direction: 'higher', absolute: 0.01 } } : check,
    );
    expect((await post('/v1/policies', stricter, await policyAdmin('carol'))).status).toBe(201);
    expect((await getJson(`${gates.url}/v1/policies`)).body.items).toEqual([expect.objectContaining({ policyId: 'default', version: 3 })]);
  });
});
