import { computeEnvironmentFingerprint } from '@modelreg/lineage';
import type { CommandSpec } from '../cli-arguments';
import { probeEnvironment } from '../environment-probe';

/** `modelreg fingerprint [--dir .]`: this machine's environment facts and their stable hash, as JSON. */
export const fingerprintCommand: CommandSpec = {
  name: 'fingerprint',
  summary:
    "Print this machine's environment facts (GPUs, driver, CUDA, OS, packages, lockfile hash, container digest) " +
    'and their fingerprint, as JSON. Reads only; tools that are absent give nulls.',
  positionals: [],
  options: { dir: { type: 'string', valueName: 'path', description: 'where to look for lockfiles (default: the current directory)' } },
  examples: ['modelreg fingerprint', 'modelreg fingerprint --dir ./training'],
  async run(parsed, context) {
    const facts = probeEnvironment((parsed.values['dir'] as string | undefined) ?? process.cwd());
    context.print(JSON.stringify({ fingerprint: computeEnvironmentFingerprint(facts), ...facts }, null, 2));
    return 0;
  },
};
