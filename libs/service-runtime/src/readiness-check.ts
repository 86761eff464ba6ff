/** One dependency /health/ready must reach: resolves when it works, throws (with why) when not. */
export interface ReadinessCheck {
  name: string;
  check(): Promise<void>;
}

export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, { ok: boolean; error?: string }>;
}

export async function runReadinessChecks(checks: readonly ReadinessCheck[], timeoutMs = 3_000): Promise<ReadinessReport> {
  const results = await Promise.all(
    checks.map(async (item) => {
      try {
        await withTimeout(item.check(), timeoutMs, `${item.name} did not answer within ${timeoutMs} ms`);
        return [item.name, { ok: true }] as const;
      } catch (error) {
        return [item.name, { ok: false, error: (error as Error).message }] as const;
      }
    }),
  );
  return { ready: results.every(([, result]) => result.ok), checks: Object.fromEntries(results) };
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
