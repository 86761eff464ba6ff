// npm run cluster-test: the long horizontal-scale suite on a private 3-node Kafka cluster; figures in tmp/chaos/cluster-results.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { REPO_ROOT } from '@modelreg/testing';
import { clusterSettings, FULL_CLUSTER_SETTINGS, runClusterSuite } from './cluster-suite';

const print = (line: string) => console.log(`[cluster] ${line}`);

async function main(): Promise<number> {
  const report = await runClusterSuite(clusterSettings(process.env, FULL_CLUSTER_SETTINGS), print);
  const dir = resolve(REPO_ROOT, 'tmp/chaos');
  mkdirSync(dir, { recursive: true });
  const file = resolve(dir, 'cluster-results.json');
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  print(`${report.durationSeconds} s; ${report.load.registrationsAcknowledged} registrations and ${report.load.reportsAcknowledged} reports acknowledged (${report.audit.acknowledged.events} events); lost ${report.audit.lost.length}, duplicated ${report.audit.duplicated.length}`);
  for (const fault of report.faults) print(`${fault.fault}: writes ${fault.writeRecoveryMs ?? '-'} ms, recovered ${fault.recoveryMs ?? 'NO'} ms`);
  for (const invariant of report.invariants) print(`${invariant.ok ? 'ok  ' : 'FAIL'} ${invariant.name}${invariant.ok ? '' : `\n       ${invariant.details.join('\n       ')}`}`);
  print(`figures in ${file}`);
  return report.invariants.every((invariant) => invariant.ok) ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`[cluster] ${error.stack ?? error.message}`);
    process.exit(1);
  },
);
