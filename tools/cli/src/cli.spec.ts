import { CliUsageError, inferFormat, parseArtifactFlag, parseArguments } from './cli-arguments';
import { parseCudaVersion, parseNvccVersion, parseNvidiaSmi, parseOsRelease, parsePipList, probeEnvironment } from './environment-probe';

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
  it('reads GPUs, driver and CUDA from nvidia-smi', () => {
    expect(parseNvidiaSmi('NVIDIA A100-SXM4-40GB, 535.104.05\nNVIDIA A100-SXM4-40GB, 535.104.05\n')).toEqual({ model: 'NVIDIA A100-SXM4-40GB', count: 2, driver: '535.104.05' });
    expect(parseCudaVersion('| NVIDIA-SMI 535.104.05   Driver Version: 535.104.05   CUDA Version: 12.2     |')).toBe('12.2');
    expect(parseNvccVersion('Cuda compilation tools, release 12.1, V12.1.105')).toBe('12.1');
  });

  it('reads the OS and the resolved Python packages', () => {
    expect(parseOsRelease('NAME="Ubuntu"\nPRETTY_NAME="Ubuntu 22.04.3 LTS"\n')).toBe('Ubuntu 22.04.3 LTS');
    expect(parsePipList('[{"name":"Torch","version":"2.1.2"},{"name":"numpy","version":"1.26.3"}]')).toEqual([
      { name: 'numpy', version: '1.26.3', ecosystem: 'pypi' },
      { name: 'torch', version: '2.1.2', ecosystem: 'pypi' },
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
