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

(async () => {
  const context: CommandContext = {
    print: (line) => process.stdout.write(`${line}\n`),
    config: loadCliConfig(process.env),
    progress: terminalProgress(),
    interactive: Boolean(process.stdin.isTTY),
    ask,
  };
  return runCli(process.argv.slice(2), context);
})().then(
  (code) => process.exit(code),
  (error: Error) => {
    process.stderr.write(`modelreg: ${error.message}\n`);
    process.exit(error instanceof CliUsageError ? 2 : 1);
  },
);
