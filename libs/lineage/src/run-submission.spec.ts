import { exampleRunSubmissionJson } from './examples/example-run-submission';
import { computeEnvironmentFingerprint } from './environment-fingerprint';
import { validateRunSubmission } from './run-submission';

type Body = Record<string, any>;

function withChange(change: (body: Body) => void): Body {
  const body = exampleRunSubmissionJson() as Body;
  change(body);
  return body;
}

function errorsOf(body: unknown): Array<{ field: string; message: string }> {
  const result = validateRunSubmission(body);
  if (result.ok) throw new Error('expected validation to fail');
  return result.errors;
}

describe('validateRunSubmission', () => {
  it('accepts the fraud-model example and types its values', () => {
    const result = validateRunSubmission(exampleRunSubmissionJson());
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.hyperparameters).toEqual({
      learning_rate: { double: 0.001 },
      batch_size: { long: 2048 },
      optimizer: { string: 'adam' },
      dropout: { double: 0 },
    });
    expect(result.value.seeds).toEqual({ framework: '42', numpy: '42', python: '42', dataloader: '18446744073709551615' });
    expect(result.value.dataSnapshots[0]).toMatchObject({ coveredFrom: Date.UTC(2024, 0, 10), coveredTo: Date.UTC(2024, 0, 24) });
    expect(result.value.environment.fingerprint).toMatch(/^[0-9a-f]{64}$/);
  });

  // The bad-input table: each case names the field the caller must fix.
  it.each<[string, (body: Body) => void, string, RegExp]>([
    ['missing commit', (b) => delete b.code.commit, 'code.commit', /is required/],
    ['missing data snapshots', (b) => delete b.dataSnapshots, 'dataSnapshots', /is required/],
    ['empty data snapshots', (b) => (b.dataSnapshots = []), 'dataSnapshots', /at least 1/],
    ['missing seeds', (b) => delete b.seeds, 'seeds', /is required/],
    ['no seed at all', (b) => (b.seeds = {}), 'seeds', /at least one seed/],
    ['a seed above 2^64-1', (b) => (b.seeds.numpy = '18446744073709551616'), 'seeds.numpy', /2\^64/],
    ['missing environment', (b) => delete b.environment, 'environment', /is required/],
    ['a wrong environment fingerprint', (b) => (b.environment.fingerprint = 'f'.repeat(64)), 'environment.fingerprint', /does not match/],
    ['missing metrics', (b) => delete b.metrics, 'metrics', /is required/],
    ['a NaN metric (as a string)', (b) => (b.metrics.overall.auc = 'NaN'), 'metrics.overall.auc', /must be a number/],
    ['an infinite metric', (b) => (b.metrics.overall.logloss = Infinity), 'metrics.overall.logloss', /finite/],
    ['an AUC of 1.3', (b) => (b.metrics.overall.auc = 1.3), 'metrics.overall.auc', /within \[0, 1\]/],
    ['a negative size', (b) => (b.artifacts[0].sizeBytes = -1), 'artifacts[0].sizeBytes', /within/],
    ['a fractional size', (b) => (b.artifacts[0].sizeBytes = 1.5), 'artifacts[0].sizeBytes', /integer/],
    ['a traffic share above 1', (b) => (b.metrics.slices[0].trafficShare = 1.2), 'metrics.slices[0].trafficShare', /within \[0, 1\]/],
    ['traffic shares summing above 1', (b) => (b.metrics.slices[1].trafficShare = 0.7), 'metrics.slices', /sum to 1\.1/],
    ['a malformed sha256', (b) => (b.artifacts[0].sha256 = 'xyz'), 'artifacts[0].sha256', /64 lower-case hex/],
    ['no artifacts', (b) => (b.artifacts = []), 'artifacts', /at least 1/],
    [
      'a file:// artifact reference',
      (b) => (b.artifacts[0].storageUri = 'file:///etc/passwd'),
      'artifacts[0].storageUri',
      /never by a URL/,
    ],
    [
      'a metadata-service URL',
      (b) => (b.artifacts[0].url = 'http://169.254.169.254/latest/meta-data/'),
      'artifacts[0].url',
      /never by a URL/,
    ],
    ['a path reference', (b) => (b.artifacts[0].path = '../../etc/passwd'), 'artifacts[0].path', /never by a URL/],
    ['two artifacts for one target', (b) => b.artifacts.push({ ...b.artifacts[0] }), 'artifacts[1].target', /duplicates target server/],
    [
      'a snapshot ending before it starts',
      (b) => (b.dataSnapshots[0].coveredTo = '2024-01-01T00:00:00Z'),
      'dataSnapshots[0].coveredTo',
      /before coveredFrom/,
    ],
    ['a snapshot date that is not ISO', (b) => (b.dataSnapshots[0].coveredFrom = '10/01/2024'), 'dataSnapshots[0].coveredFrom', /ISO-8601/],
    ['an untyped hyperparameter', (b) => (b.hyperparameters.layers = [1, 2]), 'hyperparameters.layers', /boolean, number, string/],
    ['a body that is not an object', (b) => Object.assign(b, { metrics: 'good' }), 'metrics', /must be an object/],
    // Keys and values every store downstream accepts (Avro, Kafka, Postgres text and jsonb).
    ['U+0000 in a label key', (b) => (b.labels = { 'te\u0000am': 'fraud' }), 'labels', /key "te\\u0000am" must not contain U\+0000/],
    ['U+0000 in a label value', (b) => (b.labels = { team: 'fr\u0000aud' }), 'labels.team', /U\+0000/],
    ['a lone surrogate in a label key', (b) => (b.labels = { ['team\uD800']: 'fraud' }), 'labels', /unpaired UTF-16 surrogate/],
    ['a lone surrogate in a label value', (b) => (b.labels = { team: '\uDC00fraud' }), 'labels.team', /unpaired UTF-16 surrogate/],
    ['a 1 MB label key', (b) => (b.labels = { ['k'.repeat(1024 * 1024)]: 'x' }), 'labels', /at most 256 characters, got 1048576/],
    [
      '1001 labels',
      (b) => (b.labels = Object.fromEntries(Array.from({ length: 1001 }, (_, i) => [`k${i}`, 'v']))),
      'labels',
      /at most 1000 entries, got 1001/,
    ],
    ['U+0000 in a seed name', (b) => (b.seeds['num\u0000py'] = '1'), 'seeds', /U\+0000/],
    [
      '65 seeds',
      (b) => (b.seeds = Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`s${i}`, '1']))),
      'seeds',
      /at most 64 entries/,
    ],
    ['a 1 MB hyperparameter name', (b) => (b.hyperparameters['h'.repeat(1024 * 1024)] = 1), 'hyperparameters', /at most 200 characters/],
    [
      'a lone surrogate in a hyperparameter value',
      (b) => (b.hyperparameters.optimizer = 'adam\uD83D'),
      'hyperparameters.optimizer',
      /unpaired UTF-16 surrogate/,
    ],
    [
      'a metric name with a control character',
      (b) => (b.metrics.overall['auc\u0007'] = 0.9),
      'metrics.overall',
      /key "auc\\u0007" must not contain control characters/,
    ],
    ['U+0000 in a slice name', (b) => (b.metrics.slices[0].slice = 'us\u0000'), 'metrics.slices[0].slice', /U\+0000/],
    [
      'a lone surrogate in a fairness group',
      (b) => (b.metrics.fairness = [{ attribute: 'region', group: '\uDFFF', metrics: { auc: 0.9 } }]),
      'metrics.fairness[0].group',
      /unpaired UTF-16 surrogate/,
    ],
  ])('rejects %s', (_case, change, field, message) => {
    expect(errorsOf(withChange(change))).toContainEqual({ field, message: expect.stringMatching(message) });
  });

  it.each([
    ['a slash', 'fraud/model'],
    ['a parent reference', '..'],
    ['an embedded parent reference', 'fraud..model'],
    ['a backslash', 'fraud\\model'],
    ['a control character', 'fraud\u0000model'],
    ['a newline', 'fraud\nmodel'],
    ['an encoded traversal', '%2e%2e%2f'],
    ['a double-encoded traversal', '%252e%252e%252f'],
    ['a semicolon', 'fraud;drop'],
    ['upper case', 'Fraud'],
    ['a leading dot', '.hidden'],
    ['129 characters', 'a'.repeat(129)],
    ['an empty name', ''],
  ])('rejects a model name with %s', (_case, modelName) => {
    const errors = errorsOf(withChange((b) => (b.modelName = modelName)));
    expect(errors.map((error) => error.field)).toContain('modelName');
  });

  it('spells metric names canonically: overall, slice, group and operational metrics', () => {
    const result = validateRunSubmission(
      withChange((b) => {
        b.metrics.overall['NDCG@20'] = 0.41;
        b.metrics.slices[0].metrics['precision@10'] = 0.7;
        b.metrics.fairness[0].metrics['recall.macro'] = 0.6;
      }),
    );
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.value.metrics.overall).toMatchObject({ ndcg_at_20: 0.41 });
    expect(result.value.metrics.slices[0]?.metrics).toMatchObject({ precision_at_10: 0.7 });
    expect(result.value.metrics.fairness[0]?.metrics).toMatchObject({ recall_macro: 0.6 });
    expect(Object.keys(result.value.metrics.overall)).not.toContain('NDCG@20');
  });

  it.each<[string, (body: Body) => void, string, RegExp]>([
    ['a metric name with a space', (b) => (b.metrics.overall['ndcg 20'] = 0.4), 'metrics.overall', /key "ndcg 20" must be a metric name/],
    [
      'a slice metric name with a slash',
      (b) => (b.metrics.slices[1].metrics['auc/x'] = 0.4),
      'metrics.slices[1].metrics',
      /key "auc\/x" must be a metric name/,
    ],
    [
      'two spellings of one metric',
      (b) => Object.assign(b.metrics.overall, { 'ndcg@20': 0.4, ndcg_at_20: 0.4 }),
      'metrics.overall',
      /key "ndcg_at_20" names the same metric as "ndcg@20"/,
    ],
    [
      'a unit-interval metric out of range under another spelling',
      (b) => (b.metrics.overall['NDCG@20'] = 1.3),
      'metrics.overall.NDCG@20',
      /within \[0, 1\]/,
    ],
  ])('rejects %s, naming the field', (_case, change, field, message) => {
    expect(errorsOf(withChange(change))).toContainEqual({ field, message: expect.stringMatching(message) });
  });

  it('reports every problem at once, not only the first', () => {
    const errors = errorsOf(
      withChange((b) => {
        delete b.code.commit;
        b.metrics.overall.auc = 2;
      }),
    );
    expect(errors.map((error) => error.field)).toEqual(expect.arrayContaining(['code.commit', 'metrics.overall.auc']));
  });
});

describe('computeEnvironmentFingerprint', () => {
  const facts = {
    cpuModel: 'x',
    gpuModel: null,
    gpuCount: 0,
    gpuDriver: null,
    cudaVersion: null,
    cudnnVersion: null,
    os: 'linux',
    kernel: '6.1',
    containerImageDigest: null,
    lockfileHash: null,
    packages: [
      { name: 'numpy', version: '1.26.3', ecosystem: 'pypi' },
      { name: 'torch', version: '2.1.2', ecosystem: 'pypi' },
    ],
  };

  it('does not depend on package order', () => {
    expect(computeEnvironmentFingerprint({ ...facts, packages: [...facts.packages].reverse() })).toBe(computeEnvironmentFingerprint(facts));
  });

  it('changes when one package version changes', () => {
    const changed = { ...facts, packages: [facts.packages[0]!, { ...facts.packages[1]!, version: '2.1.3' }] };
    expect(computeEnvironmentFingerprint(changed)).not.toBe(computeEnvironmentFingerprint(facts));
  });
});
