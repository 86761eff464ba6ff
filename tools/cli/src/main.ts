import { SingleBar } from 'cli-progress';
import { parseArguments, CliUsageError } from './cli-arguments';
import { diffCommand } from './commands/diff.command';
import { fingerprintCommand } from './commands/fingerprint.command';
import { registerCommand } from './commands/register.command';
import { replayCommand } from './commands/replay.command';
import { loadCliConfig } from './config';
import type { Progress } from './registry-http';

const USAGE = `usage:
  modelreg register --manifest run.json --artifact server=model.savedmodel.tar [--artifact mobile=model.tflite] [--environment facts.json | --dir path]
  modelreg fingerprint [--dir path]
  modelreg diff <model> <version> <against> [--json]
  modelreg replay

The registry is found through MODELREG_INGESTION_URL (and MODELREG_PROJECTIONS_URL), or the local
stack of this checkout.`;

function progressBar(): Progress {
  const bar = new SingleBar({ format: '{label} [{bar}] {percentage}% {value}/{total} bytes', hideCursor: true, noTTYOutput: false }, undefined);
  return {
    start: (total, label) => bar.start(total, 0, { label }),
    update: (done) => bar.update(done),
    stop: () => bar.stop(),
  };
}

function requireUrl(url: string | null): string {
  if (!url) throw new CliUsageError('no registry: set MODELREG_PROJECTIONS_URL or start the local stack (npm start)');
  return url;
}

async function main(argv: string[]): Promise<number> {
  const args = parseArguments(argv);
  const print = (line: string) => process.stdout.write(`${line}\n`);
  const config = loadCliConfig(process.env);
  switch (args.command) {
    case 'register':
      if (!config.ingestionUrl) throw new CliUsageError('no registry: set MODELREG_INGESTION_URL or start the local stack (npm start)');
      return registerCommand(args, config.ingestionUrl, progressBar(), print);
    case 'fingerprint':
      return fingerprintCommand(args, print);
    case 'diff':
      return diffCommand(args, requireUrl(config.projectionsUrl), print);
    case 'replay':
      return replayCommand(args, requireUrl(config.projectionsUrl), print);
    default:
      process.stderr.write(`${USAGE}\n`);
      return args.command === undefined || args.command === 'help' ? 0 : 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: Error) => {
    process.stderr.write(`modelreg: ${error.message}\n`);
    process.exit(error instanceof CliUsageError ? 2 : 1);
  },
);
