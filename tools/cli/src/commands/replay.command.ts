import type { CliArguments } from '../cli-arguments';
import { getJson, postJson } from '../registry-http';

/** `modelreg replay`: rebuilds every projection from offset 0, waits for the atomic switch, and reports whether the rebuilt state is identical. */
export async function replayCommand(_args: CliArguments, projectionsUrl: string, print: (line: string) => void, sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))): Promise<number> {
  const started = await postJson(projectionsUrl, '/v1/replay', {});
  if (started.status !== 202) {
    print(`replay refused (${started.status}): ${String(started.body['message'] ?? '')}`);
    return 1;
  }
  print(`rebuilding into ${String(started.body['schema'])}...`);
  for (;;) {
    await sleep(1000);
    const status = (await getJson(projectionsUrl, '/v1/replay')).body as { state: string; eventsApplied?: number; eventsPerSecond?: number; rebuildSeconds?: number; error?: string; checksumError?: string; checksums?: Record<string, { equal: boolean; rebuilt: { rows: number } }> };
    if (status.state === 'failed') {
      print(`replay failed: ${status.error ?? 'unknown error'}`);
      return 1;
    }
    if (status.state !== 'done') {
      print(`${status.state}: ${status.eventsApplied ?? 0} events applied`);
      continue;
    }
    print(`switched over: ${status.eventsApplied} events in ${status.rebuildSeconds} s (${status.eventsPerSecond} events/s)`);
    if (status.checksumError) {
      print(`the rebuilt state could not be compared with the replaced one: ${status.checksumError}`);
      return 1;
    }
    const tables = Object.entries(status.checksums ?? {});
    for (const [table, checksum] of tables) print(`  ${table.padEnd(24)} ${String(checksum.rebuilt.rows).padStart(9)} rows  ${checksum.equal ? 'identical' : 'DIFFERENT'}`);
    return tables.every(([, checksum]) => checksum.equal) ? 0 : 1;
  }
}
