import { CliUsageError, commandUsage, parseCommand, wantsHelp, type CommandContext, type CommandSpec } from './cli-arguments';
import { auditBundleCommand } from './commands/audit-bundle.command';
import { auditVerifyBundleCommand } from './commands/audit-verify-bundle.command';
import { auditVerifyCommand } from './commands/audit.command';
import { diffCommand } from './commands/diff.command';
import { fingerprintCommand } from './commands/fingerprint.command';
import { registerCommand } from './commands/register.command';
import { replayCommand } from './commands/replay.command';
import { reproduceCommand } from './commands/reproduce.command';

const COMMANDS: readonly CommandSpec[] = [
  registerCommand,
  fingerprintCommand,
  diffCommand,
  reproduceCommand,
  replayCommand,
  auditVerifyCommand,
  auditBundleCommand,
  auditVerifyBundleCommand,
];

export function generalUsage(): string {
  return [
    'usage: modelreg <command> [arguments] [options]',
    '',
    'The command line of the modelreg model registry.',
    '',
    'commands:',
    ...COMMANDS.map((command) => `  ${command.name.padEnd(20)} ${command.summary.split('. ')[0]?.replace(/\.$/, '')}`),
    '',
    'Run `modelreg <command> --help` for its arguments and options.',
    'The registry is found through MODELREG_INGESTION_URL and MODELREG_PROJECTIONS_URL, or the local',
    'stack of this checkout (npm start). Every command sends the bearer token MODELREG_TOKEN (or',
    "--token <jwt>), else the local stack's development token of its role (.local/stack.env).",
  ].join('\n');
}

/** Runs one command line; answers the exit status (0 done, 1 failed, 2 called wrongly). */
export async function runCli(argv: string[], context: CommandContext): Promise<number> {
  // Two-word commands (`audit bundle`) are looked up by their first two words.
  const [first, ...others] = argv;
  const twoWords = others[0] !== undefined && COMMANDS.some((candidate) => candidate.name === `${first} ${others[0]}`);
  const [name, ...rest] = twoWords ? [`${first} ${others[0]}`, ...others.slice(1)] : argv;
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
