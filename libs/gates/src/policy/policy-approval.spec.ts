import { decideApproval } from './policy-approval';

const alice = { subject: 'alice', issuer: 'https://idp.example.com', roles: ['policy-admin'] };
const bob = { subject: 'bob', issuer: 'https://idp.example.com', roles: ['policy-admin'] };

describe('two-person approval of a loosening policy', () => {
  it('lets a second, different policy admin approve', () => {
    expect(decideApproval(alice, bob)).toEqual({ ok: true });
  });

  it('refuses the proposer approving their own proposal', () => {
    expect(decideApproval(alice, { ...alice })).toEqual({ ok: false, reason: expect.stringMatching(/proposer cannot approve/) });
  });

  it('tells principals of two issuers apart', () => {
    expect(decideApproval(alice, { ...alice, issuer: 'https://other-idp.example.com' })).toEqual({ ok: true });
  });

  it('refuses an approver without the policy-admin role, and an unauthenticated one', () => {
    expect(decideApproval(alice, { ...bob, roles: ['trainer'] })).toEqual({ ok: false, reason: 'bob is not a policy-admin' });
    expect(decideApproval(alice, null)).toEqual({ ok: false, reason: expect.stringMatching(/authenticated policy admin/) });
  });
});
