// npm run chaos: the long fault suite on a private stack; figures in tmp/chaos/results.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { REPO_ROOT } from '@modelreg/testing';
import { chaosSettings, FULL_SETTINGS, runChaosSuite } from './chaos-suite';

const print = (line: string) => console.log(`[chaos] ${line}`);

async function main(): Promise<number> {
  const report = await runChaosSuite(chaosSettings(process.env, FULL_SETTINGS), print);
  const dir = resolve(REPO_ROOT, 'tmp/chaos');
  mkdirSync(dir, { recursive: true });
  const file = resolve(dir, 'results.json');
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  print(`${report.durationSeconds} s; ${report.load.registrationsAcknowledged} registrations and ${report.load.reportsAcknowledged} reports acknowledged (${report.audit.acknowledged.events} events); lost ${report.audit.lost.length}, duplicated ${report.audit.duplicated.length}`);
  for (const fault of report.faults) print(`round ${fault.round} ${fault.fault}: writes ${fault.writeRecoveryMs ?? '-'} ms, recovered ${fault.recoveryMs ?? 'NO'} ms`);
  for (const [service, restarts] of Object.entries(report.restarts)) print(`${service}: ${restarts.total} restarts (${restarts.planned} killed by the suite)`);
  for (const invariant of report.invariants) print(`${invariant.ok ? 'ok  ' : 'FAIL'} ${invariant.name}${invariant.ok ? '' : `\n       ${invariant.details.join('\n       ')}`}`);
  print(`figures in ${file}`);
  return report.invariants.every((invariant) => invariant.ok) ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`[chaos] ${error.stack ?? error.message}`);
    process.exit(1);
  },
);
