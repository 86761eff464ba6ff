import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensurePackagingTools, PINNED, REPO_ROOT, type PackagingTools } from './packaging-tools';

const CHART = join(REPO_ROOT, 'deploy/helm/modelreg');
const DOCKERFILE = join(REPO_ROOT, 'deploy/container/Dockerfile');
const COMPOSE = join(REPO_ROOT, 'deploy/compose');
/** Each service and the readiness capability that routes its HTTP traffic. */
const SERVICES: Record<string, string> = {
  ingestion: 'register',
  'gate-validator': 'policies',
  'deployment-tracker': 'reports',
  projections: 'reads',
};

interface Manifest {
  kind: string;
  metadata: { name: string; annotations?: Record<string, string> };
  spec?: any;
}

let tools: PackagingTools;

beforeAll(() => {
  // The first run builds helm and kubeconform from source (minutes); later runs reuse them.
  tools = ensurePackagingTools((line) => process.stdout.write(`[packaging] ${line}\n`));
}, 900_000);

function render(valuesFile: string | null, extra: string[] = []): { status: number; stdout: string; stderr: string } {
  const args = [
    'template',
    'reg',
    CHART,
    '--kube-version',
    PINNED.kubernetesVersion,
    ...(valuesFile ? ['-f', join(CHART, 'ci', valuesFile)] : []),
    ...extra,
  ];
  const result = spawnSync(tools.helm, args, { encoding: 'utf8' });
  return { status: result.status ?? 1, stdout: result.stdout, stderr: result.stderr };
}

function parseManifests(yaml: string): Manifest[] {
  const json = execFileSync(
    tools.python,
    ['-c', 'import sys, yaml, json; print(json.dumps([d for d in yaml.safe_load_all(sys.stdin) if d]))'],
    { input: yaml, encoding: 'utf8' },
  );
  return JSON.parse(json) as Manifest[];
}

function kubeconform(yaml: string): { status: number; output: string } {
  const result = spawnSync(
    tools.kubeconform,
    ['-strict', '-summary', '-kubernetes-version', PINNED.kubernetesVersion, '-schema-location', tools.kubernetesSchemas, '-'],
    { input: yaml, encoding: 'utf8' },
  );
  return { status: result.status ?? 1, output: `${result.stdout}${result.stderr}` };
}

describe('container image', () => {
  it('passes hadolint', () => {
    const result = spawnSync(tools.hadolint, [DOCKERFILE], { encoding: 'utf8' });
    expect(`${result.stdout}${result.stderr}`).toBe('');
    expect(result.status).toBe(0);
  });

  it('runs as a non-root user, and hadolint would catch a root one', () => {
    const dockerfile = readFileSync(DOCKERFILE, 'utf8');
    expect(dockerfile).toMatch(/^USER 10001:10001$/m);
    const rooted = join(mkdtempSync(join(tmpdir(), 'dockerfile-')), 'Dockerfile');
    writeFileSync(rooted, dockerfile.replace(/^USER 10001:10001$/m, 'USER root'));
    const result = spawnSync(tools.hadolint, [rooted], { encoding: 'utf8' });
    expect(result.status).not.toBe(0);
    expect(result.stdout).toContain('DL3002');
  });
});

describe('Helm chart', () => {
  it.each(['evaluation-values.yaml', 'production-values.yaml'])(
    'renders with %s and validates against the Kubernetes schemas',
    (values) => {
      const rendered = render(values);
      expect(rendered.stderr).toBe('');
      expect(rendered.status).toBe(0);
      const validation = kubeconform(rendered.stdout);
      expect(validation.output).toMatch(/Invalid: 0, Errors: 0/);
      expect(validation.status).toBe(0);
      const kinds = parseManifests(rendered.stdout)
        .map((manifest) => manifest.kind)
        .sort();
      expect(kinds.filter((kind) => kind === 'Deployment')).toHaveLength(4);
      expect(kinds.filter((kind) => kind === 'Service')).toHaveLength(4);
      expect(kinds.filter((kind) => kind === 'PodDisruptionBudget')).toHaveLength(4);
      expect(kinds).toContain('Job');
      expect(kinds).toContain('ConfigMap');
    },
  );

  it('ships the Grafana dashboard as a sidecar ConfigMap holding valid dashboard JSON', () => {
    const manifests = parseManifests(render('evaluation-values.yaml').stdout) as unknown as Array<{
      kind: string;
      metadata: { name: string; labels: Record<string, string> };
      data: Record<string, string>;
    }>;
    const dashboard = manifests.find((m) => m.kind === 'ConfigMap' && m.metadata.name === 'reg-modelreg-grafana-dashboard');
    expect(dashboard?.metadata.labels['grafana_dashboard']).toBe('1');
    const json = JSON.parse(dashboard!.data['modelreg.json'] as string) as {
      uid: string;
      panels: Array<{ targets: Array<{ expr: string }> }>;
    };
    expect(json.uid).toBe('modelreg-overview');
    expect(json.panels.length).toBeGreaterThanOrEqual(10);
    const off = parseManifests(render('evaluation-values.yaml', ['--set', 'grafanaDashboard.enabled=false']).stdout);
    expect(off.find((m) => m.metadata.name === 'reg-modelreg-grafana-dashboard')).toBeUndefined();
  });

  it('fails validation for a manifest the Kubernetes schema does not allow', () => {
    const rendered = render('evaluation-values.yaml').stdout.replace(
      'automountServiceAccountToken: false',
      'automountServiceAccountTokn: false',
    );
    const validation = kubeconform(rendered);
    expect(validation.status).not.toBe(0);
    expect(validation.output).toContain('automountServiceAccountTokn');
  });

  it('wires every service to its health endpoints, its port variable and a non-root, read-only container', () => {
    const manifests = parseManifests(render('production-values.yaml').stdout);
    for (const [service, capability] of Object.entries(SERVICES)) {
      const deployment = manifests.find((m) => m.kind === 'Deployment' && m.metadata.name === `reg-modelreg-${service}`);
      expect(deployment).toBeDefined();
      expect(deployment!.spec.replicas).toBe(3);
      const container = deployment!.spec.template.spec.containers[0];
      expect(container.args).toEqual([service]);
      expect(container.readinessProbe.httpGet.path).toBe(`/health/ready?capability=${capability}`);
      expect(container.livenessProbe.httpGet.path).toBe('/health/live');
      expect(container.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
      expect(deployment!.spec.template.spec.securityContext).toMatchObject({ runAsNonRoot: true });
      const env = Object.fromEntries(
        (container.env as Array<{ name: string; value?: string; valueFrom?: unknown }>).map((e) => [e.name, e.value ?? e.valueFrom]),
      );
      expect(env[`${service.toUpperCase().replace(/-/g, '_')}_PORT`]).toBe('8080');
      expect(env['DATABASE_URL']).toEqual({ secretKeyRef: { name: 'modelreg-postgres', key: 'url' } });
      expect(env['KAFKA_SASL_PASSWORD']).toEqual({ secretKeyRef: { name: 'modelreg-kafka', key: 'password' } });
    }
    const settings = manifests.find((m) => m.kind === 'ConfigMap') as unknown as { data: Record<string, string> };
    expect(settings.data).toMatchObject({
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_TLS: 'true',
      KAFKA_TLS_CERT_FILE: '/etc/modelreg/kafka-tls/tls.crt',
    });
    const job = manifests.find((m) => m.kind === 'Job')!;
    expect(job.metadata.annotations?.['helm.sh/hook']).toBe('pre-install,pre-upgrade');
    expect(job.spec.template.spec.containers[0].args).toEqual(['migrate']);
  });

  it.each([
    ['no brokers', 'evaluation-values.yaml', ['--set', 'kafka.brokers='], 'kafka.brokers is required'],
    ['no database', 'evaluation-values.yaml', ['--set', 'postgres.url='], 'postgres.url or postgres.existingSecret is required'],
    [
      'SASL without its secret',
      'evaluation-values.yaml',
      ['--set', 'kafka.sasl.mechanism=scram-sha-256', '--set', 'kafka.sasl.username=u'],
      'kafka.sasl.existingSecret is required',
    ],
    ['an unknown SASL mechanism', 'evaluation-values.yaml', ['--set', 'kafka.sasl.mechanism=gssapi'], '/kafka/sasl/mechanism'],
    ['a service the registry does not have', 'evaluation-values.yaml', ['--set', 'services.billing.replicas=1'], 'billing'],
  ])('refuses to render with %s', (_case, values, extra, message) => {
    const rendered = render(values, extra);
    expect(rendered.status).not.toBe(0);
    expect(rendered.stderr).toContain(message);
  });

  it('passes helm lint', () => {
    const result = spawnSync(
      tools.helm,
      ['lint', '--strict', '--kube-version', PINNED.kubernetesVersion, CHART, '-f', join(CHART, 'ci/evaluation-values.yaml')],
      { encoding: 'utf8' },
    );
    expect(result.stdout).toContain('0 chart(s) failed');
    expect(result.status).toBe(0);
  });
});

describe('Compose file', () => {
  const validate = (file: string) =>
    spawnSync(
      tools.python,
      [
        '-c',
        'import sys, yaml, json, jsonschema; ' +
          'jsonschema.validate(yaml.safe_load(open(sys.argv[1])), json.load(open(sys.argv[2]))); print("valid")',
        file,
        join(COMPOSE, 'compose-spec.json'),
      ],
      { encoding: 'utf8' },
    );

  it('validates against the Compose Specification and runs the chart image', () => {
    const result = validate(join(COMPOSE, 'compose.yaml'));
    expect(result.stderr).toBe('');
    expect(result.stdout.trim()).toBe('valid');
    const appVersion = /^appVersion: "(.+)"$/m.exec(readFileSync(join(CHART, 'Chart.yaml'), 'utf8'))?.[1];
    expect(readFileSync(join(COMPOSE, 'compose.yaml'), 'utf8')).toContain(`image: modelreg/modelreg:${appVersion}`);
  });

  it('rejects a file the specification does not allow', () => {
    const broken = join(mkdtempSync(join(tmpdir(), 'compose-')), 'compose.yaml');
    writeFileSync(broken, readFileSync(join(COMPOSE, 'compose.yaml'), 'utf8').replace('  cap_drop: [ALL]', '  cap_dorp: [ALL]'));
    const result = validate(broken);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain("'cap_dorp' does not match");
  });
});
