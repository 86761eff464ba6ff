import { CliUsageError, commandUsage, parseCommand, wantsHelp, type CommandContext, type CommandSpec } from './cli-arguments';
import { auditCommand } from './commands/audit.command';
import { diffCommand } from './commands/diff.command';
import { fingerprintCommand } from './commands/fingerprint.command';
import { registerCommand } from './commands/register.command';
import { replayCommand } from './commands/replay.command';
import { reproduceCommand } from './commands/reproduce.command';

const COMMANDS: readonly CommandSpec[] = [registerCommand, fingerprintCommand, diffCommand, reproduceCommand, replayCommand, auditCommand];

export function generalUsage(): string {
  return [
    'usage: modelreg <command> [arguments] [options]',
    '',
    'The command line of the modelreg model registry.',
    '',
    'commands:',
    ...COMMANDS.map((command) => `  ${command.name.padEnd(14)} ${command.summary.split('. ')[0]?.replace(/\.$/, '')}`),
    '',
    'Run `modelreg <command> --help` for its arguments and options.',
    'The registry is found through MODELREG_INGESTION_URL and MODELREG_PROJECTIONS_URL, or the local',
    'stack of this checkout (npm start).',
  ].join('\n');
}

/** Runs one command line; answers the exit status (0 done, 1 failed, 2 called wrongly). */
export async function runCli(argv: string[], context: CommandContext): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || (name === 'help' && rest.length === 0)) {
    context.print(generalUsage());
    return 0;
  }
  const command = COMMANDS.find((candidate) => candidate.name === (name === 'help' ? rest[0] : name));
  if (!command) throw new CliUsageError(`unknown command "${name === 'help' ? rest[0] : name}"\n\n${generalUsage()}`);
  if (name === 'help' || wantsHelp(rest)) {
    context.print(commandUsage(command));
    return 0;
  }
  return command.run(parseCommand(command, rest), context);
}
