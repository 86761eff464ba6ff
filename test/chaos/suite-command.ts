import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { REPO_ROOT } from '@modelreg/testing';

/** What the fault and cluster suites report, as far as their commands print it. */
export interface SuiteReport {
  durationSeconds: number;
  load: { registrationsAcknowledged: number; reportsAcknowledged: number };
  audit: { acknowledged: { events: number }; lost: unknown[]; duplicated: unknown[] };
  faults: Array<{ fault: string; writeRecoveryMs?: number | null; recoveryMs?: number | null }>;
  invariants: Array<{ name: string; ok: boolean; details: string[] }>;
}

/**
 * The shell of `npm run chaos` and `npm run cluster-test`: runs the suite, writes its figures to
 * tmp/chaos/<file>, prints the summary, a line per fault and per invariant, and exits 0 only when
 * every invariant held.
 */
export function runSuiteCommand<R extends SuiteReport>(
  name: string,
  file: string,
  run: (print: (line: string) => void) => Promise<R>,
  faultLabel: (fault: R['faults'][number]) => string,
  extraLines: (report: R) => string[] = () => [],
): void {
  const print = (line: string) => console.log(`[${name}] ${line}`);
  const main = async (): Promise<number> => {
    const report = await run(print);
    const dir = resolve(REPO_ROOT, 'tmp/chaos');
    mkdirSync(dir, { recursive: true });
    const path = resolve(dir, file);
    writeFileSync(path, `${JSON.stringify(report, null, 2)}\n`);
    print(
      `${report.durationSeconds} s; ` +
        `${report.load.registrationsAcknowledged} registrations and ${report.load.reportsAcknowledged} reports ` +
        `acknowledged (${report.audit.acknowledged.events} events); ` +
        `lost ${report.audit.lost.length}, duplicated ${report.audit.duplicated.length}`,
    );
    for (const fault of report.faults)
      print(`${faultLabel(fault)}: writes ${fault.writeRecoveryMs ?? '-'} ms, recovered ${fault.recoveryMs ?? 'NO'} ms`);
    for (const line of extraLines(report)) print(line);
    for (const invariant of report.invariants)
      print(`${invariant.ok ? 'ok  ' : 'FAIL'} ${invariant.name}${invariant.ok ? '' : `\n       ${invariant.details.join('\n       ')}`}`);
    print(`figures in ${path}`);
    return report.invariants.every((invariant) => invariant.ok) ? 0 : 1;
  };
  main().then(
    (code) => process.exit(code),
    (error: Error) => {
      console.error(`[${name}] ${error.stack ?? error.message}`);
      process.exit(1);
    },
  );
}
