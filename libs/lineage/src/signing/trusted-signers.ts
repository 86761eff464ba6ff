import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';
import type { ArtifactSignature } from '@modelreg/events';
import { MalformedBundleError, parseModelSigningBundle, type ModelSigningBundle } from './model-signing-bundle';
import { integrityProblem } from './artifact-integrity';

/** A key trusted to sign a model's artifacts, as policy data: who it is and its PEM public key. */
export interface TrustedSigner {
  name: string;
  publicKey: string;
}

/** Why a signature check failed. */
export type SignatureFailure = 'unsigned' | 'malformed' | 'digest-mismatch' | 'untrusted-signer' | 'bad-signature';

export type SignatureVerdict =
  | { verified: true; signer: string; keyId: string; explanation: string }
  | { verified: false; reason: SignatureFailure; keyId: string | null; explanation: string };

/** ECDSA curves the model-signing tool signs with, and the digest each uses. */
const CURVE_DIGESTS: Readonly<Record<string, string>> = { prime256v1: 'sha256', secp384r1: 'sha384', secp521r1: 'sha512' };

/**
 * The signer's key id: sha256 of its public key in PEM (SubjectPublicKeyInfo, 64-column lines),
 * the form the model-signing tool records as the bundle's key hint.
 */
export function signerKeyId(publicKeyPem: string): string {
  return createHash('sha256')
    .update(publicKeyObject(publicKeyPem).export({ type: 'spki', format: 'pem' }))
    .digest('hex');
}

/** Why a PEM cannot be a trusted signer's key, or null when it can. */
export function publicKeyProblem(publicKeyPem: string): string | null {
  try {
    const curve = publicKeyObject(publicKeyPem).asymmetricKeyDetails?.namedCurve;
    return curve && CURVE_DIGESTS[curve] ? null : 'must be an ECDSA public key on P-256, P-384 or P-521 (what model-signing signs with)';
  } catch (error) {
    return `is not a PEM public key: ${(error as Error).message}`;
  }
}

/** DSSE pre-authentication encoding: what the signature covers (type and payload, length-prefixed). */
export function dssePreAuthEncoding(payloadType: string, payload: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`DSSEv1 ${Buffer.byteLength(payloadType)} ${payloadType} ${payload.length} `, 'utf8'), payload]);
}

/**
 * Verifies a recorded artifact signature against the signers trusted for the model: the bytes
 * must be the signed ones (as recorded at registration), the bundle's key must be a trusted one,
 * and the DSSE signature must verify with it. A bundle naming a trusted key whose signature does
 * not verify (another key signed, or the statement was altered) is `bad-signature`; a key no
 * trusted signer holds is `untrusted-signer`. Pure.
 */
export function verifyArtifactSignature(signature: ArtifactSignature | null, trusted: readonly TrustedSigner[]): SignatureVerdict {
  if (!signature)
    return { verified: false, reason: 'unsigned', keyId: null, explanation: 'no signature bundle was registered with the artifact' };
  const keyId = signature.keyId;
  if (signature.integrity === 'malformed')
    return { verified: false, reason: 'malformed', keyId, explanation: `the signature bundle is malformed: ${signature.reason}` };
  if (signature.integrity === 'mismatch')
    return {
      verified: false,
      reason: 'digest-mismatch',
      keyId,
      explanation: `the artifact's bytes are not the signed ones: ${signature.reason}`,
    };
  let bundle: ModelSigningBundle;
  try {
    bundle = parseModelSigningBundle(JSON.parse(signature.bundle));
  } catch (error) {
    if (!(error instanceof MalformedBundleError) && !(error instanceof SyntaxError)) throw error;
    return { verified: false, reason: 'malformed', keyId, explanation: `the signature bundle is malformed: ${error.message}` };
  }
  return verifyBundle(bundle, trusted);
}

/** Verifies a parsed bundle's signature with the trusted keys; the signed digests are the caller's to check. */
export function verifyBundle(bundle: ModelSigningBundle, trusted: readonly TrustedSigner[]): SignatureVerdict {
  const keyId = bundle.keyHint;
  const keyed = trusted.map((signer) => ({ signer, id: signerKeyId(signer.publicKey) }));
  const candidates = keyId ? keyed.filter((entry) => entry.id === keyId) : keyed;
  if (candidates.length === 0) {
    const names = trusted.map((signer) => signer.name).join(', ') || 'none';
    return {
      verified: false,
      reason: 'untrusted-signer',
      keyId,
      explanation: `signed by key ${keyId ?? '(unnamed)'}, which no trusted signer holds (trusted: ${names})`,
    };
  }
  const message = dssePreAuthEncoding(bundle.payloadType, bundle.payload);
  const match = candidates.find((entry) => signatureVerifies(message, bundle.signature, entry.signer.publicKey));
  if (match)
    return { verified: true, signer: match.signer.name, keyId: match.id, explanation: `signed by ${match.signer.name} (key ${match.id})` };
  if (!keyId)
    return { verified: false, reason: 'untrusted-signer', keyId, explanation: "the signature verifies with no trusted signer's key" };
  const names = candidates.map((entry) => entry.signer.name).join(', ');
  return {
    verified: false,
    reason: 'bad-signature',
    keyId,
    explanation:
      `the bundle names the key of ${names}, and its signature does not verify with it ` +
      '(another key signed, or the statement was altered)',
  };
}

/**
 * Re-checks a bundle offline against an artifact's sha256 and trusted keys (audit bundles); a directory's
 * files were checked at registration.
 */
export function reverifyArtifactSignature(
  signature: ArtifactSignature,
  artifactSha256: string,
  trusted: readonly TrustedSigner[],
): SignatureVerdict {
  const verdict = verifyArtifactSignature(signature, trusted);
  if (!verdict.verified || signature.manifest !== 'file') return verdict;
  const problem = integrityProblem(parseModelSigningBundle(JSON.parse(signature.bundle)), artifactSha256, null);
  return problem ? { verified: false, reason: 'digest-mismatch', keyId: verdict.keyId, explanation: problem } : verdict;
}

function signatureVerifies(message: Buffer, signature: Buffer, publicKeyPem: string): boolean {
  const key = publicKeyObject(publicKeyPem);
  const digest = CURVE_DIGESTS[key.asymmetricKeyDetails?.namedCurve ?? ''];
  if (!digest) return false;
  try {
    return verify(digest, message, key, signature);
  } catch {
    return false;
  }
}

function publicKeyObject(publicKeyPem: string): KeyObject {
  return createPublicKey({ key: publicKeyPem, format: 'pem' });
}
