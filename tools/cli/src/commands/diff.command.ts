import type { LineageDiff, MetricDelta, SetChanges, ValueChange } from '@modelreg/projections';
import { CliUsageError, type CliArguments } from '../cli-arguments';
import { getJson } from '../registry-http';

/** `modelreg diff fraud-model 127 126`: what changed from v126 (the baseline) to v127. `--json` prints the raw diff. */
export async function diffCommand(args: CliArguments, projectionsUrl: string, print: (line: string) => void): Promise<number> {
  const [model, version, against] = args.positionals;
  if (!model || !version || !against) throw new CliUsageError('diff needs <model> <version> <against>, e.g. modelreg diff fraud-model 127 126');
  const response = await getJson(projectionsUrl, `/v1/models/${encodeURIComponent(model)}/diff?version=${encodeURIComponent(version)}&against=${encodeURIComponent(against)}`);
  if (response.status !== 200) {
    print(`diff refused (${response.status}): ${String(response.body['message'] ?? JSON.stringify(response.body))}`);
    return 1;
  }
  const diff = response.body as unknown as LineageDiff;
  if (args.flags['json']) print(JSON.stringify(diff, null, 2));
  else for (const line of renderDiff(diff)) print(line);
  return 0;
}

/** The diff as lines a person reads in a terminal. */
export function renderDiff(diff: LineageDiff): string[] {
  const lines = [`${diff.modelName}: v${diff.fromVersion} -> v${diff.toVersion}${diff.identicalLineage ? ' (same code, data, features, hyperparameters, seeds and environment)' : ''}`];
  const section = (title: string, body: string[]) => {
    if (body.length > 0) lines.push(`${title}:`, ...body.map((line) => `  ${line}`));
  };
  section('code', diff.code.map(change));
  section('data snapshots', setLines(diff.dataSnapshots, (s) => `${s.snapshotId} (${s.source})`));
  section('features', setLines(diff.features, (f) => `${f.name}@${f.version}`));
  section('hyperparameters', diff.hyperparameters.map(change));
  section('seeds', diff.seeds.map(change));
  section('environment', [...diff.environment.fields.map(change), ...setLines(diff.environment.packages, (p) => `${p.name}==${p.version}`)]);
  section('artifacts', setLines(diff.artifacts, (a) => `${a.target}: ${a.format}, ${a.sizeBytes} bytes`));
  section('metrics', [
    ...diff.metrics.overall.filter(changed).map(delta),
    ...diff.metrics.slices.flatMap((s) => s.deltas.filter(changed).map((d) => `[${s.slice}] ${delta(d)}`)),
    ...diff.metrics.fairness.flatMap((g) => g.deltas.filter(changed).map((d) => `[${g.attribute}=${g.group}] ${delta(d)}`)),
    ...diff.metrics.operational.flatMap((o) => o.deltas.filter(changed).map((d) => `[${o.target}] ${delta(d)}`)),
  ]);
  return lines;
}

function change(c: ValueChange): string {
  return `${c.field}: ${show(c.from)} -> ${show(c.to)}`;
}

function setLines<T>(set: SetChanges<T>, label: (item: T) => string): string[] {
  return [...set.added.map((item) => `+ ${label(item)}`), ...set.removed.map((item) => `- ${label(item)}`), ...set.changed.map((c) => `~ ${c.key}: ${c.changes.map(change).join(', ')}`)];
}

function changed(d: MetricDelta): boolean {
  return d.delta !== 0;
}

function delta(d: MetricDelta): string {
  const sign = d.delta !== null && d.delta > 0 ? '+' : '';
  return `${d.metric}: ${show(d.from)} -> ${show(d.to)}${d.delta === null ? '' : ` (${sign}${Number(d.delta.toPrecision(4))})`}`;
}

function show(value: unknown): string {
  if (value === null || value === undefined) return '(none)';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
