/** Parsed `modelreg <command> [positionals] [--flag value]...`; repeated flags collect into arrays. */
export interface CliArguments {
  command: string | undefined;
  positionals: string[];
  flags: Record<string, string[]>;
}

export class CliUsageError extends Error {}

export function parseArguments(argv: string[]): CliArguments {
  const [command, ...rest] = argv;
  const positionals: string[] = [];
  const flags: Record<string, string[]> = {};
  for (let index = 0; index < rest.length; index += 1) {
    const token = rest[index] as string;
    if (!token.startsWith('--')) {
      positionals.push(token);
      continue;
    }
    const [name, inline] = token.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    const next = rest[index + 1];
    const value = inline ?? (next !== undefined && !next.startsWith('--') ? rest[(index += 1)] : 'true');
    (flags[name] ??= []).push(value as string);
  }
  return { command, positionals, flags };
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
  if (!match) throw new CliUsageError(`cannot tell the format of ${path}; name it in the manifest: "artifacts": [{"target": "...", "format": "ONNX"}]`);
  return match[1];
}
