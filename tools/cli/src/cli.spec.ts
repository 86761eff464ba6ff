import { CliUsageError, inferFormat, parseArtifactFlag, parseArguments } from './cli-arguments';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseNvccVersion, parseNvidiaSmi, parseOsRelease, parsePipList, parsePythonProbe, probeEnvironment } from './environment-probe';

/** Real outputs captured on an NVIDIA H200 host, shared with the Python client's probe tests. */
const h200 = (file: string) => readFileSync(resolve(__dirname, '../../../clients/python/tests/fixtures/gpu-h200', file), 'utf8');

describe('modelreg arguments', () => {
  it('collects repeated flags and positionals', () => {
    expect(parseArguments(['register', '--manifest', 'run.json', '--artifact', 'server=a.onnx', '--artifact=mobile=b.tflite', 'extra'])).toEqual({
      command: 'register',
      positionals: ['extra'],
      flags: { manifest: ['run.json'], artifact: ['server=a.onnx', 'mobile=b.tflite'] },
    });
  });

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

describe('environment probe', () => {
  it('reads GPUs and driver from nvidia-smi, and the CUDA toolkit from nvcc', () => {
    expect(parseNvidiaSmi(h200('nvidia-smi-query.txt'))).toEqual({ model: 'NVIDIA H200', count: 1, driver: '580.159.04' });
    expect(parseNvidiaSmi('NVIDIA A100-SXM4-40GB, 535.104.05\nNVIDIA A100-SXM4-40GB, 535.104.05\n')).toEqual({ model: 'NVIDIA A100-SXM4-40GB', count: 2, driver: '535.104.05' });
    expect(parseNvccVersion(h200('nvcc-version.txt'))).toBe('13.0');
  });

  it('lists pip packages under their PEP 503 names, as the Python client does', () => {
    const packages = parsePipList(h200('pip-list.json'));
    expect(packages).toHaveLength(197);
    expect(packages.map((p) => p.name)).toEqual(expect.arrayContaining(['huggingface-hub', 'jinja2', 'cython', 'jax-cuda13-plugin']));
  });

  it('takes the Python client probe answer when it is installed, and cuDNN from the NVIDIA image otherwise', () => {
    const facts = { cpuModel: 'x', gpuModel: 'NVIDIA H200', gpuCount: 1, gpuDriver: '580.159.04', cudaVersion: '13.0', cudnnVersion: '9.19.0', os: 'y', kernel: 'z', containerImageDigest: null, lockfileHash: null, packages: [] };
    const python = (command: string, args: string[]) => (command === 'python3' && args[1] === 'modelreg' ? JSON.stringify({ fingerprint: 'f', ...facts }) : null);
    expect(probeEnvironment('/nonexistent', python, {})).toEqual(facts);
    expect(parsePythonProbe('not json')).toBeNull();
    const toolsOnly = (command: string) => (command === 'nvcc' ? h200('nvcc-version.txt') : command === 'nvidia-smi' ? h200('nvidia-smi-query.txt') : null);
    expect(probeEnvironment('/nonexistent', toolsOnly, { NV_CUDNN_VERSION: '9.19.0.56' })).toMatchObject({ cudaVersion: '13.0', cudnnVersion: '9.19.0.56', gpuModel: 'NVIDIA H200' });
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
    expect(facts).toMatchObject({ gpuModel: null, gpuCount: 0, gpuDriver: null, cudaVersion: null, cudnnVersion: null, containerImageDigest: null, lockfileHash: null, packages: [] });
    expect(facts.kernel).not.toBe('');
  });

  it('takes the container image digest only when it is well formed', () => {
    expect(probeEnvironment('/nonexistent', () => null, { CONTAINER_IMAGE_DIGEST: `sha256:${'a'.repeat(64)}` }).containerImageDigest).toBe(`sha256:${'a'.repeat(64)}`);
    expect(probeEnvironment('/nonexistent', () => null, { CONTAINER_IMAGE_DIGEST: 'latest' }).containerImageDigest).toBeNull();
  });
});
