import { createTestEnvironment, startService, type RunningService, type TestEnvironment } from '@modelreg/testing';
import { getJson, postJson } from './registry-client';

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

  const defaultV1 = async () => {
    const policy = (await getJson(`${gates.url}/v1/policies/default/versions/1`)).body;
    delete policy.contentHash;
    return policy;
  };

  it('records a looser version as a proposal, not in force; nobody unauthenticated may approve it', async () => {
    const looser = { ...(await defaultV1()), version: 2, checks: (await defaultV1()).checks.filter((check: { id: string }) => check.id !== 'mobile-size') };
    const proposed = await postJson(`${gates.url}/v1/policies`, looser);
    expect(proposed).toMatchObject({ status: 202, body: { kind: 'proposed', policyId: 'default', policyVersion: 2, loosening: ['checks.mobile-size: removed'], proposalId: expect.any(String) } });
    expect((await postJson(`${gates.url}/v1/policies`, looser)).body['proposalId']).toBe(proposed.body['proposalId']);
    expect((await getJson(`${gates.url}/v1/policies`)).body.items).toEqual([expect.objectContaining({ policyId: 'default', version: 1 })]);

    const approval = await postJson(`${gates.url}/v1/policies/proposals/${proposed.body['proposalId']}/approve`, {});
    expect(approval).toMatchObject({ status: 403, body: { message: expect.stringMatching(/authenticated policy admin/) } });
    expect((await postJson(`${gates.url}/v1/policies/proposals/00000000-0000-4000-a000-000000000000/approve`, {})).status).toBe(404);
  });

  it('publishes a stricter version at once', async () => {
    const stricter = { ...(await defaultV1()), version: 2 };
    stricter.checks = stricter.checks.map((check: { id: string }) => (check.id === 'auc-improvement' ? { ...check, change: { direction: 'higher', absolute: 0.01 } } : check));
    expect((await postJson(`${gates.url}/v1/policies`, stricter)).status).toBe(201);
    expect((await getJson(`${gates.url}/v1/policies`)).body.items).toEqual([expect.objectContaining({ policyId: 'default', version: 2 })]);
  });
});
