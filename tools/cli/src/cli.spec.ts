import { exampleRunSubmissionJson, validateRunSubmission } from '@modelreg/lineage';
import { readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { CliUsageError, inferFormat, parseArtifactFlag, type CommandContext } from './cli-arguments';
import { generalUsage, runCli } from './cli';
import { describeTransfer, humanBytes, humanDuration } from './progress';
import { parseNvccVersion, parseNvidiaSmi, parseOsRelease, parsePipList, parsePythonProbe, probeEnvironment } from './environment-probe';

/** Real outputs captured on an NVIDIA H200 host, shared with the Python client's probe tests. */
const h200 = (file: string) => readFileSync(resolve(__dirname, '../../../clients/python/tests/fixtures/gpu-h200', file), 'utf8');

/** A context that records what the CLI prints and fails any network use (no registry is reachable at this address). */
function fakeContext(answers: string[] = [], interactive = false): CommandContext & { lines: string[]; asked: string[] } {
  const lines: string[] = [];
  const asked: string[] = [];
  return {
    lines,
    asked,
    print: (line) => lines.push(line),
    config: {
      ingestionUrl: 'http://127.0.0.1:9',
      projectionsUrl: 'http://127.0.0.1:9',
      cacheDir: '/nonexistent/modelreg-cache',
      tokens: { trainer: null, reader: null, auditor: null },
    },
    progress: { start: () => undefined, update: () => undefined, stop: () => undefined },
    interactive,
    ask: async (question) => {
      asked.push(question);
      return answers.shift() ?? '';
    },
  };
}

/** A loopback port nothing listens on: bound, then released. */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

describe('modelreg help and argument errors', () => {
  it.each([[[]], [['--help']], [['-h']], [['help']]])('prints the general help and exits 0 for %j', async (argv) => {
    const context = fakeContext();
    expect(await runCli(argv, context)).toBe(0);
    expect(context.lines.join('\n')).toBe(generalUsage());
    expect(generalUsage()).toMatch(/register\s+Register a training run/);
  });

  it.each(['register', 'fingerprint', 'diff', 'reproduce', 'replay'])(
    'prints the help of %s and does nothing else, exit 0',
    async (command) => {
      for (const argv of [
        [command, '--help'],
        [command, '-h'],
        ['help', command],
        [command, 'extra', '--help'],
      ]) {
        const context = fakeContext();
        expect(await runCli(argv, context)).toBe(0);
        expect(context.lines.join('\n')).toContain(`usage: modelreg ${command}`);
        expect(context.lines.join('\n')).toContain('--help');
        expect(context.lines.join('\n')).not.toContain('"fingerprint"');
        expect(context.asked).toEqual([]);
      }
    },
  );

  it('refuses an unknown command, an unknown option and missing arguments as usage errors (exit 2)', async () => {
    await expect(runCli(['regster'], fakeContext())).rejects.toThrow(CliUsageError);
    await expect(runCli(['regster'], fakeContext())).rejects.toThrow(/unknown command "regster"/);
    await expect(runCli(['diff', 'fraud-model', '2'], fakeContext())).rejects.toThrow(
      /diff takes <model> <version> <against>, got fraud-model 2/,
    );
    await expect(runCli(['fingerprint', '--dri', '.'], fakeContext())).rejects.toThrow(/Unknown option '--dri'/);
    await expect(runCli(['register', '--artifact', 'server=model.onnx'], fakeContext())).rejects.toThrow(
      /register needs --manifest run.json/,
    );
    await expect(runCli(['register', '--manifest'], fakeContext())).rejects.toThrow(CliUsageError);
  });

  it('starts no replay without --yes: asks a person, and refuses when nobody can be asked', async () => {
    await expect(runCli(['replay'], fakeContext())).rejects.toThrow(/pass --yes to confirm/);
    const declined = fakeContext(['n'], true);
    await expect(runCli(['replay'], declined)).rejects.toThrow(/replay not started/);
    expect(declined.asked).toEqual(['Rebuild every projection of http://127.0.0.1:9 from offset 0? [y/N] ']);
  });

  it('names the unreachable registry and what to do', async () => {
    const closed = await closedPort();
    const context = fakeContext();
    context.config = { ...context.config, projectionsUrl: `http://127.0.0.1:${closed}/` };
    await expect(runCli(['diff', 'fraud-model', '2', '1'], context)).rejects.toThrow(
      `cannot reach the registry at http://127.0.0.1:${closed} (ECONNREFUSED). ` +
        'Is it running? Start it with `npm start`, or point MODELREG_PROJECTIONS_URL at it.',
    );
  });
});

describe('modelreg arguments', () => {
  it('parses target=path and refuses anything else', () => {
    expect(parseArtifactFlag('server=model.savedmodel.tar')).toEqual({ target: 'server', path: 'model.savedmodel.tar' });
    expect(() => parseArtifactFlag('model.onnx')).toThrow(CliUsageError);
    expect(() => parseArtifactFlag('../x=model.onnx')).toThrow(/target=path/);
  });

  it.each([
    ['model.tflite', 'TFLite'],
    ['model.onnx', 'ONNX'],
    ['model.pt', 'TorchScript'],
    ['model.savedmodel.tar', 'SavedModel'],
    ['saved_model.pb', 'SavedModel'],
  ])('infers the format of %s', (path, format) => {
    expect(inferFormat(path)).toBe(format);
  });

  it('prefers the format the manifest names and refuses to guess an unknown suffix', () => {
    expect(inferFormat('model.bin', 'XGBoost')).toBe('XGBoost');
    expect(() => inferFormat('model.bin')).toThrow(/cannot tell the format/);
  });
});

describe('transfer progress', () => {
  it('shows bytes, throughput and time left', () => {
    expect(humanBytes(512)).toBe('512 B');
    expect(humanBytes(1536)).toBe('1.5 KiB');
    expect(humanDuration(125)).toBe('2m05s');
    expect(humanDuration(Number.POSITIVE_INFINITY)).toBe('--');
    expect(describeTransfer(12 * 1024 ** 2, 48 * 1024 ** 2, 2000)).toBe('12.0 MiB / 48.0 MiB, 6.0 MiB/s, 6s left');
    expect(describeTransfer(48 * 1024 ** 2, 48 * 1024 ** 2, 8000)).toBe('48.0 MiB / 48.0 MiB, 6.0 MiB/s, done');
  });
});

describe('environment probe', () => {
  it('reads GPUs and driver from nvidia-smi, and the CUDA toolkit from nvcc', () => {
    expect(parseNvidiaSmi(h200('nvidia-smi-query.txt'))).toEqual({ model: 'NVIDIA H200', count: 1, driver: '580.159.04' });
    expect(parseNvidiaSmi('NVIDIA A100-SXM4-40GB, 535.104.05\nNVIDIA A100-SXM4-40GB, 535.104.05\n')).toEqual({
      model: 'NVIDIA A100-SXM4-40GB',
      count: 2,
      driver: '535.104.05',
    });
    expect(parseNvccVersion(h200('nvcc-version.txt'))).toBe('13.0');
  });

  it('lists pip packages under their PEP 503 names, as the Python client does', () => {
    const packages = parsePipList(h200('pip-list.json'));
    expect(packages).toHaveLength(197);
    expect(packages.map((p) => p.name)).toEqual(expect.arrayContaining(['huggingface-hub', 'jinja2', 'cython', 'jax-cuda13-plugin']));
  });

  it('takes the Python client probe answer when it is installed, and cuDNN from the NVIDIA image otherwise', () => {
    const facts = {
      cpuModel: 'x',
      gpuModel: 'NVIDIA H200',
      gpuCount: 1,
      gpuDriver: '580.159.04',
      cudaVersion: '13.0',
      cudnnVersion: '9.19.0',
      os: 'y',
      kernel: 'z',
      containerImageDigest: null,
      lockfileHash: null,
      packages: [],
    };
    const python = (command: string, args: string[]) =>
      command === 'python3' && args[1] === 'modelreg' ? JSON.stringify({ fingerprint: 'f', ...facts }) : null;
    expect(probeEnvironment('/nonexistent', python, {})).toEqual(facts);
    expect(parsePythonProbe('not json')).toBeNull();
    const toolsOnly = (command: string) =>
      command === 'nvcc' ? h200('nvcc-version.txt') : command === 'nvidia-smi' ? h200('nvidia-smi-query.txt') : null;
    expect(probeEnvironment('/nonexistent', toolsOnly, { NV_CUDNN_VERSION: '9.19.0.56' })).toMatchObject({
      cudaVersion: '13.0',
      cudnnVersion: '9.19.0.56',
      gpuModel: 'NVIDIA H200',
    });
  });

  it('reads the OS and the resolved Python packages', () => {
    expect(parseOsRelease('NAME="Ubuntu"\nPRETTY_NAME="Ubuntu 22.04.3 LTS"\n')).toBe('Ubuntu 22.04.3 LTS');
    expect(parsePipList('[{"name":"Torch","version":"2.1.2"},{"name":"typing_extensions","version":"4.15.0"}]')).toEqual([
      { name: 'torch', version: '2.1.2', ecosystem: 'pypi' },
      { name: 'typing-extensions', version: '4.15.0', ecosystem: 'pypi' },
    ]);
  });

  it('degrades to nulls and empty lists where the tools are absent', () => {
    const facts = probeEnvironment('/nonexistent', () => null, {});
    expect(facts).toMatchObject({
      gpuModel: null,
      gpuCount: 0,
      gpuDriver: null,
      cudaVersion: null,
      cudnnVersion: null,
      containerImageDigest: null,
      lockfileHash: null,
      packages: [],
    });
    expect(facts.kernel).not.toBe('');
  });

  it('takes the container image digest only when it is well formed', () => {
    expect(probeEnvironment('/nonexistent', () => null, { CONTAINER_IMAGE_DIGEST: `sha256:${'a'.repeat(64)}` }).containerImageDigest).toBe(
      `sha256:${'a'.repeat(64)}`,
    );
    expect(probeEnvironment('/nonexistent', () => null, { CONTAINER_IMAGE_DIGEST: 'latest' }).containerImageDigest).toBeNull();
  });
});

describe('docs/GETTING-STARTED.md', () => {
  it('uses a manifest the registry accepts, once the CLI adds the artifacts and the probed environment', () => {
    const run = JSON.parse(readFileSync(join(__dirname, '../../../docs/examples/run.json'), 'utf8')) as Record<string, unknown>;
    const { environment } = exampleRunSubmissionJson('fraud-model', 'train-x') as { environment: unknown };
    const artifacts = [
      { target: 'server', format: 'SavedModel', sizeBytes: 3_000_000, sha256: 'a'.repeat(64) },
      { target: 'mobile', format: 'TFLite', sizeBytes: 400_000, sha256: 'b'.repeat(64) },
    ];
    const validation = validateRunSubmission({ ...run, artifacts, environment });
    expect(validation.ok ? [] : validation.errors).toEqual([]);
    expect(run['modelName']).toBe('fraud-model');
  });
});
