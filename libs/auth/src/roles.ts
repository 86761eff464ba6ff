/**
 * The registry's roles. A token carries any number of them:
 * - trainer: registers runs and uploads artifacts, for the model names its patterns allow;
 * - controller: sends deployment reports and promotion requests, for the service/environment
 *   placements its patterns allow;
 * - policy-admin: publishes gate policies and asks for re-evaluations;
 * - auditor: audit export, replay, verification, rebuild;
 * - reader: every query and the dashboard's data;
 * - metrics: scrapes GET /metrics (Prometheus), nothing else.
 */
export const ROLES = ['trainer', 'controller', 'policy-admin', 'auditor', 'reader', 'metrics'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
