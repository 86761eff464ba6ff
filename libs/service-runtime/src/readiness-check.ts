import type { Provider } from '@nestjs/common';
import { READINESS_CAPABILITIES, READINESS_CHECKS } from './service-runtime.constants';

/**
 * One dependency /health/ready must reach: resolves when it works (optionally with details for
 * the body, e.g. a consumer's lag), throws (with why) when not.
 */
export interface ReadinessCheck {
  name: string;
  check(): Promise<void | Record<string, unknown>>;
}

/** Something a service can do (serve reads, ingest events, accept uploads) and the checks it needs. */
export interface Capability {
  name: string;
  needs: readonly string[];
}

export interface CheckResult {
  ok: boolean;
  error?: string;
  detail?: Record<string, unknown>;
}

export interface CapabilityStatus {
  ready: boolean;
  needs: readonly string[];
  /** The checks that failed, with why. */
  failing?: Record<string, string>;
}

export interface ReadinessReport {
  /** Decides the HTTP status: the capability asked for, else every check. */
  ready: boolean;
  /** The capability that decided `ready`; absent when every check did. */
  capability?: string;
  checks: Record<string, CheckResult>;
  capabilities: Record<string, CapabilityStatus>;
}

/** Thrown for `?capability=` naming none of the service's capabilities. */
export class UnknownCapabilityError extends Error {
  readonly retriable = false;
  constructor(
    readonly capability: string,
    readonly known: readonly string[],
  ) {
    super(`unknown capability "${capability}"; this service has ${known.join(', ') || 'none'}`);
    this.name = 'UnknownCapabilityError';
  }
}

/**
 * Runs every check once (each bounded by `timeoutMs`) and reports each capability; `ready` is
 * the readiness of `capability` when one is asked for, else of every check (the orchestrator's
 * meaning of /health/ready: everything works).
 */
export async function runReadinessChecks(
  checks: readonly ReadinessCheck[],
  capabilities: readonly Capability[] = [],
  capability?: string,
  timeoutMs = 3_000,
): Promise<ReadinessReport> {
  if (capability !== undefined && !capabilities.some((item) => item.name === capability))
    throw new UnknownCapabilityError(
      capability,
      capabilities.map((item) => item.name),
    );
  const results = await Promise.all(
    checks.map(async (item) => {
      try {
        const detail = await withTimeout(item.check(), timeoutMs, `${item.name} unavailable: no answer within ${timeoutMs} ms`);
        return [item.name, detail ? { ok: true, detail } : { ok: true }] as const;
      } catch (error) {
        return [item.name, { ok: false, error: (error as Error).message }] as const;
      }
    }),
  );
  return assessReadiness(Object.fromEntries(results), capabilities, capability);
}

/** Pure: capability statuses from check results. A capability needing a check that does not exist is not ready. */
export function assessReadiness(
  checks: Record<string, CheckResult>,
  capabilities: readonly Capability[],
  capability?: string,
): ReadinessReport {
  const statuses: Record<string, CapabilityStatus> = {};
  for (const item of capabilities) {
    const failing = Object.fromEntries(
      item.needs.flatMap((need) => {
        const result = checks[need];
        if (!result) return [[need, 'no such readiness check']];
        return result.ok ? [] : [[need, result.error ?? 'failed']];
      }),
    );
    statuses[item.name] =
      Object.keys(failing).length === 0 ? { ready: true, needs: item.needs } : { ready: false, needs: item.needs, failing };
  }
  const ready = capability === undefined ? Object.values(checks).every((result) => result.ok) : statuses[capability]?.ready === true;
  return { ready, ...(capability === undefined ? {} : { capability }), checks, capabilities: statuses };
}

/** The providers the HealthController reads: the checks (filled in as the service starts) and its capabilities. */
export function readinessProviders(checks: ReadinessCheck[], capabilities: readonly Capability[]): Provider[] {
  return [
    { provide: READINESS_CHECKS, useValue: checks },
    { provide: READINESS_CAPABILITIES, useValue: capabilities },
  ];
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
