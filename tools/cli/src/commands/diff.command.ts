import type { LineageDiff, MetricDelta, SetChanges, ValueChange } from '@modelreg/projections';
import { CliError, type CommandSpec } from '../cli-arguments';
import { getJson } from '../registry-http';

/** `modelreg diff fraud-model 127 126`: what changed from v126 (the baseline) to v127. `--json` prints the raw diff. */
export const diffCommand: CommandSpec = {
  name: 'diff',
  summary:
    'What changed from one version to another: code, data snapshots, features, hyperparameters, ' +
    'seeds, environment down to packages and drivers, artifacts, and every metric.',
  positionals: [
    { name: 'model', description: 'the model name' },
    { name: 'version', description: 'the version to explain (e.g. the candidate)' },
    { name: 'against', description: 'the version to compare with (e.g. the baseline)' },
  ],
  options: { json: { type: 'boolean', description: 'print the diff as JSON' } },
  examples: ['modelreg diff fraud-model 127 126', 'modelreg diff fraud-model 127 126 --json'],
  async run(parsed, context) {
    const [model, version, against] = parsed.positionals as [string, string, string];
    const projectionsUrl = context.config.projectionsUrl;
    if (!projectionsUrl) throw new CliError('no registry: set MODELREG_PROJECTIONS_URL or start the local stack (npm start)');
    const response = await getJson(
      { url: projectionsUrl, token: context.config.tokens.reader },
      `/v1/models/${encodeURIComponent(model)}/diff?version=${encodeURIComponent(version)}&against=${encodeURIComponent(against)}`,
      'MODELREG_PROJECTIONS_URL',
    );
    if (response.status !== 200) {
      context.print(`diff refused (${response.status}): ${String(response.body['message'] ?? JSON.stringify(response.body))}`);
      return 1;
    }
    const diff = response.body as unknown as LineageDiff;
    if (parsed.values['json']) context.print(JSON.stringify(diff, null, 2));
    else for (const line of renderDiff(diff)) context.print(line);
    return 0;
  },
};

/** The diff as lines a person reads in a terminal. */
export function renderDiff(diff: LineageDiff): string[] {
  const lines = [
    `${diff.modelName}: v${diff.fromVersion} -> v${diff.toVersion}` +
      (diff.identicalLineage ? ' (same code, data, features, hyperparameters, seeds and environment)' : ''),
  ];
  const section = (title: string, body: string[]) => {
    if (body.length > 0) lines.push(`${title}:`, ...body.map((line) => `  ${line}`));
  };
  section('code', diff.code.map(change));
  section(
    'data snapshots',
    setLines(diff.dataSnapshots, (s) => `${s.snapshotId} (${s.source})`),
  );
  section(
    'features',
    setLines(diff.features, (f) => `${f.name}@${f.version}`),
  );
  section(
    'hyperparameters',
    diff.hyperparameters.map((c) => `${c.field}: ${show(c.from)}${typeOf(c.fromType)} -> ${show(c.to)}${typeOf(c.toType)}`),
  );
  section('seeds', diff.seeds.map(change));
  section('environment', [
    ...diff.environment.fields.map(change),
    ...setLines(diff.environment.packages, (p) => `${p.name}==${p.version}`),
  ]);
  section(
    'artifacts',
    setLines(diff.artifacts, (a) => `${a.target}: ${a.format}, ${a.sizeBytes} bytes`),
  );
  section('metrics', [
    ...diff.metrics.overall.filter(changed).map(delta),
    ...diff.metrics.slices.flatMap((s) => s.deltas.filter(changed).map((d) => `[${s.slice}] ${delta(d)}`)),
    ...diff.metrics.fairness.flatMap((g) => g.deltas.filter(changed).map((d) => `[${g.attribute}=${g.group}] ${delta(d)}`)),
    ...diff.metrics.operational.flatMap((o) => o.deltas.filter(changed).map((d) => `[${o.target}] ${delta(d)}`)),
  ]);
  return lines;
}

function typeOf(type: string | null): string {
  return type ? ` (${type})` : '';
}

function change(c: ValueChange): string {
  return `${c.field}: ${show(c.from)} -> ${show(c.to)}`;
}

function setLines<T>(set: SetChanges<T>, label: (item: T) => string): string[] {
  return [
    ...set.added.map((item) => `+ ${label(item)}`),
    ...set.removed.map((item) => `- ${label(item)}`),
    ...set.changed.map((c) => `~ ${c.key}: ${c.changes.map(change).join(', ')}`),
  ];
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
