import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { CliConfig } from './config';
import type { Progress } from './progress';

/** A mistake in how the command was called: exit 2 with what to do instead. */
export class CliUsageError extends Error {}

/** A failure the user can act on (a missing file, an unreachable registry): exit 1 with the message. */
export class CliError extends Error {}

export type OptionSpec = NonNullable<ParseArgsConfig['options']>[string] & { description: string; valueName?: string };

/** One `modelreg` command: its help, its options and what it does. */
export interface CommandSpec {
  name: string;
  summary: string;
  /** Positional arguments, in order; all are required. */
  positionals: Array<{ name: string; description: string }>;
  options: Record<string, OptionSpec>;
  examples: string[];
  run(parsed: ParsedCommand, context: CommandContext): Promise<number>;
}

export interface ParsedCommand {
  positionals: string[];
  values: Record<string, string | boolean | string[] | undefined>;
}

export interface CommandContext {
  print: (line: string) => void;
  config: CliConfig;
  progress: Progress;
  /** Whether a person can be asked (stdin is a terminal). */
  interactive: boolean;
  ask(question: string): Promise<string>;
}

const HELP_OPTION: OptionSpec = { type: 'boolean', short: 'h', description: 'show this help' };

/** Parses a command's arguments; `--help` is answered by the caller before this runs. */
export function parseCommand(spec: CommandSpec, argv: string[]): ParsedCommand {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: stripDescriptions({ ...spec.options, help: HELP_OPTION }),
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new CliUsageError(`${(error as Error).message.replace(/\. To specify a positional argument.*$/s, '')}\n\n${commandUsage(spec)}`);
  }
  if (parsed.positionals.length !== spec.positionals.length) {
    const expected = spec.positionals.map((p) => `<${p.name}>`).join(' ');
    throw new CliUsageError(
      `${spec.name} takes ${spec.positionals.length === 0 ? 'no arguments' : expected}, got ` +
        `${parsed.positionals.length === 0 ? 'none' : parsed.positionals.join(' ')}\n\n${commandUsage(spec)}`,
    );
  }
  return { positionals: parsed.positionals, values: parsed.values as ParsedCommand['values'] };
}

export function wantsHelp(argv: string[]): boolean {
  return argv.includes('--help') || argv.includes('-h');
}

function stripDescriptions(options: Record<string, OptionSpec>): NonNullable<ParseArgsConfig['options']> {
  return Object.fromEntries(Object.entries(options).map(([name, { description: _d, valueName: _v, ...option }]) => [name, option]));
}

/** `modelreg <command> --help`. */
export function commandUsage(spec: CommandSpec): string {
  const positionals = spec.positionals.map((p) => ` <${p.name}>`).join('');
  const options = Object.entries({ ...spec.options, help: HELP_OPTION }).map(([name, option]) => {
    const value = option.type === 'string' ? ` <${option.valueName ?? 'value'}>` : '';
    const flag = `${option.short ? `-${option.short}, ` : '    '}--${name}${value}`;
    return `  ${flag.padEnd(34)} ${option.description}${option.multiple ? ' (repeatable)' : ''}`;
  });
  return [
    `usage: modelreg ${spec.name}${positionals}${Object.keys(spec.options).length > 0 ? ' [options]' : ''}`,
    '',
    spec.summary,
    ...(spec.positionals.length > 0 ? ['', 'arguments:', ...spec.positionals.map((p) => `  ${p.name.padEnd(34)} ${p.description}`)] : []),
    '',
    'options:',
    ...options,
    ...(spec.examples.length > 0 ? ['', 'examples:', ...spec.examples.map((e) => `  ${e}`)] : []),
  ].join('\n');
}

/** `--artifact server=model.savedmodel.tar` → { target: 'server', path: 'model.savedmodel.tar' }. */
export function parseArtifactFlag(value: string): { target: string; path: string } {
  const match = /^([a-z][a-z0-9_-]{0,31})=(.+)$/.exec(value);
  if (!match) throw new CliUsageError(`--artifact takes target=path (e.g. server=model.onnx), got "${value}"`);
  return { target: match[1] as string, path: match[2] as string };
}

const FORMAT_BY_SUFFIX: Array<[RegExp, string]> = [
  [/\.tflite$/i, 'TFLite'],
  [/\.onnx$/i, 'ONNX'],
  [/\.(pt|pth|torchscript)$/i, 'TorchScript'],
  [/(\.savedmodel(\.tar(\.gz)?)?|\.pb)$/i, 'SavedModel'],
  [/\.mlmodel$/i, 'CoreML'],
  [/\.(safetensors)$/i, 'SafeTensors'],
  [/\.(gguf)$/i, 'GGUF'],
];

/** The artifact format named by the manifest, else guessed from the file name. */
export function inferFormat(path: string, declared?: string): string {
  if (declared) return declared;
  const match = FORMAT_BY_SUFFIX.find(([pattern]) => pattern.test(path));
  if (!match)
    throw new CliUsageError(
      `cannot tell the format of ${path}; name it in the manifest: "artifacts": [{"target": "...", "format": "ONNX"}]`,
    );
  return match[1];
}
