/**
 * Who may approve a loosening proposal: the principal shape of `@modelreg/events` (kept structural so this
 * library stays free of adapters).
 */
export interface Approver {
  subject: string;
  issuer: string;
  roles: string[];
}

export const POLICY_ADMIN_ROLE = 'policy-admin';

export type ApprovalDecision = { ok: true } | { ok: false; reason: string };

/**
 * The two-person rule: a loosening policy version takes effect only when a policy admin other than
 * its proposer approves it. An unauthenticated approval cannot tell who approves, so it is refused.
 * Pure.
 */
export function decideApproval(proposedBy: Approver | null, approver: Approver | null): ApprovalDecision {
  if (!approver) return { ok: false, reason: 'approving a policy needs an authenticated policy admin' };
  if (!approver.roles.includes(POLICY_ADMIN_ROLE)) return { ok: false, reason: `${approver.subject} is not a ${POLICY_ADMIN_ROLE}` };
  if (proposedBy && proposedBy.subject === approver.subject && proposedBy.issuer === approver.issuer)
    return { ok: false, reason: 'the proposer cannot approve their own proposal; a second policy admin must' };
  return { ok: true };
}
