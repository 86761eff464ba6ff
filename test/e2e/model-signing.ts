import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '@modelreg/testing';

/**
 * The real OpenSSF model-signing tool (PyPI `model-signing`, installed in the test venv with the
 * Python client's test extras), run in key mode: no network, no sigstore.
 */
const PYTHON = join(REPO_ROOT, '.local/python-venv/bin/python');

/**
 * Runs the venv's Python without blocking the event loop: a blocked loop keeps the HTTP client
 * from noticing kept-alive connections the services closed meanwhile.
 */
async function python(args: string[], what: string): Promise<void> {
  try {
    await promisify(execFile)(PYTHON, args, { encoding: 'utf8' });
  } catch (error) {
    throw new Error(`${what} failed: ${(error as { stderr?: string }).stderr || (error as Error).message}`);
  }
}

export interface SigningKey {
  privateKeyPath: string;
  publicKeyPem: string;
}

export function workDir(): string {
  return mkdtempSync(join(tmpdir(), 'modelreg-signing-'));
}

/** A fresh P-256 key pair, the private key written where the tool reads it. */
export function generateSigningKey(dir: string, name: string): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const privateKeyPath = join(dir, `${name}.key.pem`);
  writeFileSync(privateKeyPath, privateKey.export({ type: 'pkcs8', format: 'pem' }));
  return { privateKeyPath, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }) as string };
}

/** Signs a file or directory with `python -m model_signing sign key`; answers the bundle (model.sig) as JSON. */
export async function signModel(path: string, key: SigningKey): Promise<Record<string, any>> {
  const signature = `${path}.sig`;
  await python(
    ['-m', 'model_signing', 'sign', 'key', '--private_key', key.privateKeyPath, '--signature', signature, path],
    'model_signing',
  );
  return JSON.parse(readFileSync(signature, 'utf8')) as Record<string, any>;
}

/** A model directory of a few files and its deterministic tar (GNU format, as the Python client makes them). */
export async function modelDirectory(dir: string, files: Record<string, string>): Promise<{ path: string; tar: Buffer }> {
  const root = join(dir, 'model-dir');
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(root, name, '..'), { recursive: true });
    writeFileSync(join(root, name), content);
  }
  const tarPath = join(dir, 'model-dir.tar');
  const script = [
    'import pathlib, sys, tarfile',
    'root = pathlib.Path(sys.argv[1])',
    'with tarfile.open(sys.argv[2], "w", format=tarfile.GNU_FORMAT) as archive:',
    '    for path in sorted(p for p in root.rglob("*") if p.is_file()):',
    '        info = archive.gettarinfo(str(path), path.relative_to(root).as_posix())',
    '        info.mtime, info.uid, info.gid, info.uname, info.gname = 0, 0, 0, "", ""',
    '        with path.open("rb") as stream: archive.addfile(info, stream)',
  ].join('\n');
  await python(['-c', script, root, tarPath], 'tar');
  return { path: root, tar: readFileSync(tarPath) };
}

export function sha256Of(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The key id the tool records (the bundle's key hint): sha256 of the PEM public key. */
export function keyIdOf(key: SigningKey): string {
  return sha256Of(Buffer.from(key.publicKeyPem));
}
