import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { cpus, release } from 'node:os';
import { join } from 'node:path';
import type { ResolvedPackage } from '@modelreg/events';
import type { EnvironmentFacts } from '@modelreg/lineage';

const LOCKFILES = [
  'uv.lock',
  'poetry.lock',
  'Pipfile.lock',
  'requirements.lock',
  'requirements.txt',
  'conda-lock.yml',
  'package-lock.json',
];

/** Runs a probe command; absent tools and failures give null, never an error. */
export type CommandRunner = (command: string, args: string[]) => string | null;

export const runCommand: CommandRunner = (command, args) => {
  try {
    return execFileSync(command, args, { encoding: 'utf8', timeout: 10_000, stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return null;
  }
};

/**
 * The environment facts of the machine it runs on, as its training jobs see them. Where the Python
 * client is installed (`pip install ./clients/python`), its probe answers: it asks the framework
 * (torch, jax, tensorflow) for the CUDA runtime and cuDNN it loaded. Otherwise: CPU, GPUs
 * (nvidia-smi), the CUDA toolkit (nvcc; never nvidia-smi's "CUDA Version", which is the newest CUDA
 * the driver supports), cuDNN from the NVIDIA image's variables, OS, kernel, container image digest
 * (CONTAINER_IMAGE_DIGEST, as set by the orchestrator), the first lockfile found in `dir` and the
 * Python packages pip resolves. Missing tools give nulls, not failures.
 */
export function probeEnvironment(dir: string, run: CommandRunner = runCommand, env: NodeJS.ProcessEnv = process.env): EnvironmentFacts {
  return parsePythonProbe(run('python3', ['-m', 'modelreg', 'probe', '--dir', dir])) ?? probeWithoutPython(dir, run, env);
}

function probeWithoutPython(dir: string, run: CommandRunner, env: NodeJS.ProcessEnv): EnvironmentFacts {
  const gpu = parseNvidiaSmi(run('nvidia-smi', ['--query-gpu=name,driver_version', '--format=csv,noheader']));
  const lockfile = LOCKFILES.map((name) => join(dir, name)).find((file) => existsSync(file));
  const digest = env['CONTAINER_IMAGE_DIGEST'];
  return {
    cpuModel: cpus()[0]?.model.trim() || 'unknown',
    gpuModel: gpu.model,
    gpuCount: gpu.count,
    gpuDriver: gpu.driver,
    cudaVersion: parseNvccVersion(run('nvcc', ['--version'])),
    cudnnVersion: env['CUDNN_VERSION'] || env['NV_CUDNN_VERSION'] || null,
    os: parseOsRelease(existsSync('/etc/os-release') ? readFileSync('/etc/os-release', 'utf8') : null) ?? `${process.platform}`,
    kernel: release(),
    containerImageDigest: digest && /^sha256:[0-9a-f]{64}$/.test(digest) ? digest : null,
    lockfileHash: lockfile ? `sha256:${createHash('sha256').update(readFileSync(lockfile)).digest('hex')}` : null,
    packages: parsePipList(run('python3', ['-m', 'pip', 'list', '--format=json', '--disable-pip-version-check'])),
  };
}

/** `python3 -m modelreg probe`: the facts (and their fingerprint, which the registry recomputes). */
export function parsePythonProbe(output: string | null): EnvironmentFacts | null {
  if (!output) return null;
  try {
    const { fingerprint: _fingerprint, ...facts } = JSON.parse(output) as EnvironmentFacts & { fingerprint?: string };
    return typeof facts.cpuModel === 'string' && Array.isArray(facts.packages) ? facts : null;
  } catch {
    return null;
  }
}

export function parseNvidiaSmi(output: string | null): { model: string | null; count: number; driver: string | null } {
  const rows = (output ?? '')
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => line.split(',').map((part) => part.trim()));
  if (rows.length === 0) return { model: null, count: 0, driver: null };
  return { model: rows[0]?.[0] ?? null, count: rows.length, driver: rows[0]?.[1] ?? null };
}

export function parseNvccVersion(output: string | null): string | null {
  return /release ([\d.]+)/.exec(output ?? '')?.[1] ?? null;
}

export function parseOsRelease(content: string | null): string | null {
  const match = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(content ?? '');
  return match?.[1] ?? null;
}

/** PEP 503, as the Python client: `Foo_Bar`, `foo-bar` and `foo.bar` are one distribution. */
export function normalizePackageName(name: string): string {
  return name.replace(/[-_.]+/g, '-').toLowerCase();
}

export function parsePipList(output: string | null): ResolvedPackage[] {
  if (!output) return [];
  try {
    const packages = JSON.parse(output) as Array<{ name?: unknown; version?: unknown }>;
    return packages
      .filter((item): item is { name: string; version: string } => typeof item.name === 'string' && typeof item.version === 'string')
      .map((item) => ({ name: normalizePackageName(item.name), version: item.version, ecosystem: 'pypi' }));
  } catch {
    return [];
  }
}
