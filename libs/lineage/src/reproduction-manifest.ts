import type { HyperparameterType, VersionView } from './version-view';

/**
 * Everything a person or a pipeline needs to train a version again and check the result: the
 * exact code, data and feature definitions, typed hyperparameters, every seed, the environment
 * down to packages, GPU, driver, CUDA and cuDNN, and the artifact digests to compare against.
 */
export interface ReproductionManifest {
  modelName: string;
  modelVersion: number;
  trainingRunId: string;
  code: { repository: string; commit: string; codeHash: string };
  dataSnapshots: Array<{ snapshotId: string; source: string; coveredFrom: string; coveredTo: string }>;
  features: Array<{ name: string; version: string; transformHash: string }>;
  hyperparameters: Array<{ name: string; type: HyperparameterType; value: boolean | number | string }>;
  seeds: Array<{ name: string; value: string }>;
  environment: {
    fingerprint: string;
    os: string;
    kernel: string;
    cpuModel: string;
    gpu: { model: string; count: number; driver: string | null } | null;
    cudaVersion: string | null;
    cudnnVersion: string | null;
    containerImageDigest: string | null;
    lockfileHash: string | null;
    packages: Array<{ ecosystem: string; name: string; version: string }>;
  };
  expectedArtifacts: Array<{ target: string; format: string; sizeBytes: number; sha256: string }>;
  /** What the manifest cannot pin down, said plainly rather than guessed. */
  caveats: string[];
}

const byName = <T extends { name: string }>(a: T, b: T) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/**
 * The reproduction manifest of a registered version, from the version as the query API answers it.
 * Pure; entries are sorted so equal lineage gives equal output.
 */
export function reproductionManifest(lineage: VersionView): ReproductionManifest {
  const env = lineage.environment;
  const caveats: string[] = [];
  if (env.containerImageDigest === null)
    caveats.push('no container image digest was recorded: rebuild the environment from the package list');
  if (env.lockfileHash === null && env.packages.length === 0)
    caveats.push('neither a lockfile hash nor a package list was recorded: the environment cannot be pinned');
  if (env.gpuModel !== null && env.cudnnVersion === null)
    caveats.push('the cuDNN version was not recorded; GPU results may differ with another cuDNN');
  if (Object.keys(lineage.seeds).length === 0) caveats.push('no seeds were recorded: expect different weights');
  if (env.gpuModel !== null)
    caveats.push(
      'GPU training is not bitwise deterministic unless the framework ran in deterministic mode; ' +
        'compare metrics within tolerance, not digests',
    );
  return {
    modelName: lineage.modelName,
    modelVersion: lineage.modelVersion,
    trainingRunId: lineage.trainingRunId,
    code: { repository: lineage.code.repository, commit: lineage.code.commit, codeHash: lineage.code.codeHash },
    dataSnapshots: lineage.dataSnapshots.map((s) => ({
      snapshotId: s.snapshotId,
      source: s.source,
      coveredFrom: s.coveredFrom,
      coveredTo: s.coveredTo,
    })),
    features: lineage.features.map((f) => ({ name: f.name, version: f.version, transformHash: f.transformHash })).sort(byName),
    hyperparameters: Object.entries(lineage.hyperparameters)
      .map(([name, value]) => ({ name, type: lineage.hyperparameterTypes[name] ?? typeOfPlain(value), value }))
      .sort(byName),
    seeds: Object.entries(lineage.seeds)
      .map(([name, value]) => ({ name, value }))
      .sort(byName),
    environment: {
      fingerprint: env.fingerprint,
      os: env.os,
      kernel: env.kernel,
      cpuModel: env.cpuModel,
      gpu: env.gpuModel === null ? null : { model: env.gpuModel, count: env.gpuCount, driver: env.gpuDriver },
      cudaVersion: env.cudaVersion,
      cudnnVersion: env.cudnnVersion,
      containerImageDigest: env.containerImageDigest,
      lockfileHash: env.lockfileHash,
      packages: env.packages.map((p) => ({ ecosystem: p.ecosystem, name: p.name, version: p.version })).sort(byName),
    },
    expectedArtifacts: lineage.artifacts
      .map((a) => ({ target: a.target, format: a.format, sizeBytes: a.sizeBytes, sha256: a.sha256 }))
      .sort((a, b) => (a.target < b.target ? -1 : 1)),
    caveats,
  };
}

/** A version answered without types (never by this registry's API): integers read as long. */
function typeOfPlain(value: boolean | number | string): HyperparameterType {
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'string') return 'string';
  return Number.isInteger(value) ? 'long' : 'double';
}

/** The manifest as steps a person follows. */
export function renderRecipe(m: ReproductionManifest): string[] {
  const env = m.environment;
  const pip = env.packages.filter((p) => p.ecosystem === 'pypi');
  return [
    `# Reproduce ${m.modelName} v${m.modelVersion} (training run ${m.trainingRunId})`,
    '',
    '1. Code',
    `   git clone ${m.code.repository} && git checkout ${m.code.commit}`,
    `   check the tree hashes to ${m.code.codeHash}`,
    '',
    '2. Environment',
    ...(env.containerImageDigest ? [`   run in the container image @${env.containerImageDigest}`] : []),
    `   OS ${env.os}, kernel ${env.kernel}, CPU ${env.cpuModel}`,
    env.gpu
      ? `   GPU ${env.gpu.count} x ${env.gpu.model}, driver ${env.gpu.driver ?? 'unknown'}, ` +
        `CUDA ${env.cudaVersion ?? 'unknown'}, cuDNN ${env.cudnnVersion ?? 'unknown'}`
      : '   no GPU',
    ...(env.lockfileHash ? [`   lockfile hash ${env.lockfileHash}`] : []),
    ...(pip.length > 0 ? [`   pip install ${pip.map((p) => `${p.name}==${p.version}`).join(' ')}`] : []),
    ...env.packages.filter((p) => p.ecosystem !== 'pypi').map((p) => `   ${p.ecosystem}: ${p.name} ${p.version}`),
    `   the environment fingerprint to match: ${env.fingerprint}`,
    '',
    '3. Data',
    ...m.dataSnapshots.map((s) => `   snapshot ${s.snapshotId} of ${s.source}, covering ${s.coveredFrom} to ${s.coveredTo}`),
    ...m.features.map((f) => `   feature ${f.name}@${f.version}, transform ${f.transformHash}`),
    '',
    '4. Training',
    ...m.hyperparameters.map((h) => `   ${h.name} = ${JSON.stringify(h.value)} (${h.type})`),
    ...m.seeds.map((s) => `   seed ${s.name} = ${s.value}`),
    '',
    '5. Expected artifacts',
    ...m.expectedArtifacts.map((a) => `   ${a.target}: ${a.format}, ${a.sizeBytes} bytes, sha256 ${a.sha256}`),
    ...(m.caveats.length > 0 ? ['', 'Caveats', ...m.caveats.map((c) => `   - ${c}`)] : []),
  ];
}
