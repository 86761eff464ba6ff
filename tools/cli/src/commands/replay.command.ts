import { CliError, CliUsageError, type CommandContext, type CommandSpec } from '../cli-arguments';
import { getJson, postJson, type RegistryEndpoint } from '../registry-http';

const SETTING = 'MODELREG_PROJECTIONS_URL';

interface ReplayStatus {
  state: string;
  eventsApplied?: number;
  eventsPerSecond?: number;
  rebuildSeconds?: number;
  error?: string;
  checksumError?: string;
  checksums?: Record<string, { equal: boolean; rebuilt: { rows: number } }>;
}

/**
 * `modelreg replay --yes`: rebuilds every projection from offset 0, waits for the atomic switch, and reports
 * whether the rebuilt state is identical.
 */
export const replayCommand: CommandSpec = {
  name: 'replay',
  summary:
    'Rebuild every read model from offset 0 of the log into fresh tables, switch over atomically, ' +
    'and compare the rebuilt state with the replaced one table by table. ' +
    'Queries keep working meanwhile. Asks for confirmation unless --yes.',
  positionals: [],
  options: { yes: { type: 'boolean', short: 'y', description: 'start without asking' } },
  examples: ['modelreg replay', 'modelreg replay --yes'],
  async run(parsed, context) {
    const projectionsUrl = context.config.projectionsUrl;
    if (!projectionsUrl) throw new CliError(`no registry: set ${SETTING} or start the local stack (npm start)`);
    if (!parsed.values['yes']) await confirm(context, projectionsUrl);
    return replay({ url: projectionsUrl, token: context.config.tokens.auditor }, context.print);
  },
};

async function confirm(context: CommandContext, url: string): Promise<void> {
  if (!context.interactive)
    throw new CliUsageError('replay rebuilds every projection and there is no terminal to ask: pass --yes to confirm');
  const answer = await context.ask(`Rebuild every projection of ${new URL(url).origin} from offset 0? [y/N] `);
  if (!/^y(es)?$/i.test(answer.trim())) throw new CliUsageError('replay not started');
}

async function replay(
  projections: RegistryEndpoint,
  print: (line: string) => void,
  sleep = (ms: number) => new Promise((r) => setTimeout(r, ms)),
): Promise<number> {
  const started = await postJson(projections, '/v1/replay', {}, SETTING);
  if (started.status !== 202) {
    print(`replay refused (${started.status}): ${String(started.body['message'] ?? '')}`);
    return 1;
  }
  print(`rebuilding into ${String(started.body['schema'])}...`);
  for (;;) {
    await sleep(1000);
    const status = (await getJson(projections, '/v1/replay', SETTING)).body as unknown as ReplayStatus;
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
    for (const [table, checksum] of tables)
      print(`  ${table.padEnd(24)} ${String(checksum.rebuilt.rows).padStart(9)} rows  ${checksum.equal ? 'identical' : 'DIFFERENT'}`);
    return tables.every(([, checksum]) => checksum.equal) ? 0 : 1;
  }
}
