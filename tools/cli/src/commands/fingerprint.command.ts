import { computeEnvironmentFingerprint } from '@modelreg/lineage';
import type { CliArguments } from '../cli-arguments';
import { probeEnvironment } from '../environment-probe';

/** `modelreg fingerprint [--dir .]`: this machine's environment facts and their stable hash, as JSON. */
export function fingerprintCommand(args: CliArguments, print: (line: string) => void): number {
  const facts = probeEnvironment(args.flags['dir']?.[0] ?? process.cwd());
  print(JSON.stringify({ fingerprint: computeEnvironmentFingerprint(facts), ...facts }, null, 2));
  return 0;
}
