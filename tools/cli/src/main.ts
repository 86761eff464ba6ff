// The modelreg command line's entry point (tools/cli/modelreg.js loads it).
import { createInterface } from 'node:readline/promises';
import { CliUsageError, type CommandContext } from './cli-arguments';
import { runCli } from './cli';
import { loadCliConfig } from './config';
import { terminalProgress } from './progress';

async function ask(question: string): Promise<string> {
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return await prompt.question(question);
  } finally {
    prompt.close();
  }
}

/** `--token <jwt>` (or `--token=<jwt>`), accepted by every command, stands for MODELREG_TOKEN. */
function takeToken(argv: string[]): { argv: string[]; token: string | undefined } {
  const index = argv.findIndex((arg) => arg === '--token' || arg.startsWith('--token='));
  if (index < 0) return { argv, token: undefined };
  const arg = argv[index] as string;
  const token = arg === '--token' ? argv[index + 1] : arg.slice('--token='.length);
  if (!token) throw new CliUsageError('--token needs a value');
  return { argv: [...argv.slice(0, index), ...argv.slice(index + (arg === '--token' ? 2 : 1))], token };
}

(async () => {
  const { argv, token } = takeToken(process.argv.slice(2));
  const context: CommandContext = {
    print: (line) => process.stdout.write(`${line}\n`),
    config: loadCliConfig(token === undefined ? process.env : { ...process.env, MODELREG_TOKEN: token }),
    progress: terminalProgress(),
    interactive: Boolean(process.stdin.isTTY),
    ask,
  };
  return runCli(argv, context);
})().then(
  (code) => process.exit(code),
  (error: Error) => {
    process.stderr.write(`modelreg: ${error.message}\n`);
    process.exit(error instanceof CliUsageError ? 2 : 1);
  },
);
