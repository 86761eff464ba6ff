import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { recordArtifactSignature, needsFileDigests } from './artifact-integrity';
import { parseModelSigningBundle, MalformedBundleError } from './model-signing-bundle';
import { TarFileDigests } from './tar-file-digests';
import { reverifyArtifactSignature, signerKeyId, verifyArtifactSignature, type TrustedSigner } from './trusted-signers';

// Bundles made by the real tool (PyPI model-signing 1.1.1, key mode): see __fixtures__/regenerate.py.
const fixture = (name: string) => readFileSync(join(__dirname, '__fixtures__', name));
const json = (name: string) => JSON.parse(fixture(name).toString('utf8')) as Record<string, unknown>;
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const trainer: TrustedSigner = { name: 'training-ci', publicKey: fixture('trainer.pub.pem').toString('utf8') };
const other: TrustedSigner = { name: 'someone-else', publicKey: fixture('other.pub.pem').toString('utf8') };
const modelSha = sha256(fixture('model.bin'));

function tarDigests(bytes: Buffer, chunkSize: number): Map<string, string> {
  const reader = new TarFileDigests();
  for (let offset = 0; offset < bytes.length; offset += chunkSize) reader.push(bytes.subarray(offset, offset + chunkSize));
  return reader.finish();
}

describe('model-signing bundles', () => {
  it("reads the tool's bundle: its key hint is the sha256 of the signer's PEM public key", () => {
    const bundle = parseModelSigningBundle(json('model.bin.sig'));
    expect(bundle.keyHint).toBe(signerKeyId(trainer.publicKey));
    expect(bundle.resources).toEqual([{ name: '.', sha256: modelSha }]);
  });

  it('verifies a single-file signature by a trusted signer and names the signer', () => {
    const recorded = recordArtifactSignature(json('model.bin.sig'), modelSha, null);
    expect(recorded).toMatchObject({ integrity: 'match', manifest: 'file', reason: null, keyId: signerKeyId(trainer.publicKey) });
    expect(verifyArtifactSignature(recorded, [other, trainer])).toMatchObject({ verified: true, signer: 'training-ci' });
    expect(reverifyArtifactSignature(recorded, modelSha, [trainer])).toMatchObject({ verified: true });
  });

  it('fails tampered bytes: the artifact is not what was signed', () => {
    const tampered = sha256(Buffer.concat([fixture('model.bin'), Buffer.from('x')]));
    const recorded = recordArtifactSignature(json('model.bin.sig'), tampered, null);
    expect(recorded).toMatchObject({
      integrity: 'mismatch',
      reason: `the signed file has sha256 ${modelSha}, the registered artifact ${tampered}`,
    });
    expect(verifyArtifactSignature(recorded, [trainer])).toMatchObject({ verified: false, reason: 'digest-mismatch' });
    expect(reverifyArtifactSignature(recordArtifactSignature(json('model.bin.sig'), modelSha, null), tampered, [trainer])).toMatchObject({
      verified: false,
      reason: 'digest-mismatch',
    });
  });

  it('fails a signer no trusted key belongs to', () => {
    const recorded = recordArtifactSignature(json('model.bin.sig'), modelSha, null);
    const verdict = verifyArtifactSignature(recorded, [other]);
    expect(verdict).toMatchObject({ verified: false, reason: 'untrusted-signer' });
    expect(verdict.explanation).toContain('trusted: someone-else');
  });

  it('fails a bundle that names a trusted key but was signed with another (wrong key)', () => {
    const bundle = json('model.bin.sig') as { verificationMaterial: { publicKey: { hint: string } } };
    bundle.verificationMaterial.publicKey.hint = signerKeyId(other.publicKey);
    const verdict = verifyArtifactSignature(recordArtifactSignature(bundle, modelSha, null), [other, trainer]);
    expect(verdict).toMatchObject({ verified: false, reason: 'bad-signature' });
    expect(verdict.explanation).toContain('someone-else');
  });

  it('fails an altered statement: the signature no longer covers it', () => {
    const bundle = json('model.bin.sig') as { dsseEnvelope: { payload: string } };
    const statement = Buffer.from(bundle.dsseEnvelope.payload, 'base64').toString('utf8').replace('model.bin', 'model.pt');
    bundle.dsseEnvelope.payload = Buffer.from(statement).toString('base64');
    expect(verifyArtifactSignature(recordArtifactSignature(bundle, modelSha, null), [trainer])).toMatchObject({
      verified: false,
      reason: 'bad-signature',
    });
  });

  it('records a malformed bundle with its fault, and fails it', () => {
    const bundle = json('model.bin.sig') as { dsseEnvelope: { payloadType: string } };
    bundle.dsseEnvelope.payloadType = 'text/plain';
    const recorded = recordArtifactSignature(bundle, modelSha, null);
    expect(recorded).toMatchObject({ integrity: 'malformed', reason: 'dsseEnvelope.payloadType must be application/vnd.in-toto+json' });
    expect(verifyArtifactSignature(recorded, [trainer])).toMatchObject({ verified: false, reason: 'malformed' });
    expect(() => parseModelSigningBundle({ mediaType: 'x' })).toThrow(MalformedBundleError);
  });

  it('fails an unsigned artifact', () => {
    expect(verifyArtifactSignature(null, [trainer])).toMatchObject({ verified: false, reason: 'unsigned' });
  });

  it('checks a directory manifest against every file of the tar, in any chunking', () => {
    const tar = fixture('model-dir.tar');
    expect(needsFileDigests(json('model-dir.sig'))).toBe(true);
    expect(needsFileDigests(json('model.bin.sig'))).toBe(false);
    const files = tarDigests(tar, 7);
    expect(tarDigests(tar, 1 << 20)).toEqual(files);
    expect([...files.keys()].sort()).toHaveLength(3);
    const recorded = recordArtifactSignature(json('model-dir.sig'), sha256(tar), files);
    expect(recorded).toMatchObject({ integrity: 'match', manifest: 'directory' });
    expect(verifyArtifactSignature(recorded, [trainer])).toMatchObject({ verified: true, signer: 'training-ci' });
  });

  it('fails a directory whose tar has a changed, a missing or an extra file', () => {
    const files = tarDigests(fixture('model-dir.tar'), 4096);
    const changed = new Map(files).set('config.json', sha256(Buffer.from('{"layers": 3}\n')));
    expect(recordArtifactSignature(json('model-dir.sig'), 'f'.repeat(64), changed).reason).toBe('config.json differs from the signed file');
    const extra = new Map(files).set('backdoor.py', sha256(Buffer.from('import os')));
    const missing = new Map([...files].filter(([path]) => path !== 'config.json'));
    expect(recordArtifactSignature(json('model-dir.sig'), 'f'.repeat(64), extra).reason).toBe(
      'backdoor.py is in the artifact but not signed',
    );
    expect(recordArtifactSignature(json('model-dir.sig'), 'f'.repeat(64), missing).reason).toBe(
      'config.json is signed but not in the artifact',
    );
    const ignored = new Map(files).set('.git/HEAD', sha256(Buffer.from('ref')));
    expect(recordArtifactSignature(json('model-dir.sig'), 'f'.repeat(64), ignored).integrity).toBe('match');
    expect(recordArtifactSignature(json('model-dir.sig'), 'f'.repeat(64), null).reason).toBe(
      'the bundle signs a directory, and the artifact is not a tar of one',
    );
  });
});
