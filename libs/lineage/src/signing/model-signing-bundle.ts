import { createHash } from 'node:crypto';

/** The in-toto predicate the OpenSSF model-signing tool (PyPI `model-signing` 1.x) signs. */
export const MODEL_SIGNING_PREDICATE = 'https://model_signing/signature/v1.0';
const IN_TOTO_STATEMENT = 'https://in-toto.io/Statement/v1';
const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';
const SHA256 = /^[0-9a-f]{64}$/;

/** One file of the signed model and its sha256: a single-file model is one resource named `.`. */
export interface SignedResource {
  name: string;
  sha256: string;
}

/** A model-signing bundle taken apart: what was signed, by which key (its hint), and the signature. */
export interface ModelSigningBundle {
  payloadType: string;
  /** The DSSE payload exactly as signed (the in-toto statement's JSON bytes). */
  payload: Buffer;
  signature: Buffer;
  /** sha256 of the signer's public key in PEM (SubjectPublicKeyInfo), as the tool records it; null in bundles without one. */
  keyHint: string | null;
  resources: SignedResource[];
  /** Paths the signer left out of a directory manifest (`.git`, …), relative to the model's root. */
  ignorePaths: string[];
}

export class MalformedBundleError extends Error {
  readonly retriable = false;
}

/**
 * Reads a model-signing bundle (a sigstore bundle JSON holding a DSSE envelope over an in-toto
 * statement) and checks that it is self-consistent: the statement's subject digest is the sha256
 * of its resources' digests, as the tool computes it. Throws MalformedBundleError naming the fault.
 */
export function parseModelSigningBundle(bundle: unknown): ModelSigningBundle {
  const root = objectAt(bundle, 'bundle');
  if (typeof root['mediaType'] !== 'string' || !root['mediaType'].startsWith('application/vnd.dev.sigstore.bundle'))
    fail('mediaType is not a sigstore bundle');
  const envelope = objectAt(root['dsseEnvelope'], 'dsseEnvelope');
  const payloadType = envelope['payloadType'];
  if (payloadType !== IN_TOTO_PAYLOAD_TYPE) fail(`dsseEnvelope.payloadType must be ${IN_TOTO_PAYLOAD_TYPE}`);
  const payload = base64At(envelope['payload'], 'dsseEnvelope.payload');
  const signatures = envelope['signatures'];
  if (!Array.isArray(signatures) || signatures.length !== 1) fail('dsseEnvelope.signatures must hold exactly one signature');
  const signature = base64At(objectAt(signatures[0], 'dsseEnvelope.signatures[0]')['sig'], 'dsseEnvelope.signatures[0].sig');
  const material = objectAt(root['verificationMaterial'] ?? {}, 'verificationMaterial');
  const hint = material['publicKey'] === undefined ? undefined : objectAt(material['publicKey'], 'verificationMaterial.publicKey')['hint'];
  if (hint !== undefined && (typeof hint !== 'string' || !SHA256.test(hint)))
    fail('verificationMaterial.publicKey.hint must be 64 lower-case hex digits');
  const statement = readStatement(payload);
  return { payloadType, payload, signature, keyHint: hint ?? null, ...statement };
}

function readStatement(payload: Buffer): Pick<ModelSigningBundle, 'resources' | 'ignorePaths'> {
  let statement: Record<string, unknown>;
  try {
    statement = objectAt(JSON.parse(payload.toString('utf8')), 'statement');
  } catch (error) {
    throw error instanceof MalformedBundleError
      ? error
      : new MalformedBundleError(`the signed payload is not JSON: ${(error as Error).message}`);
  }
  if (statement['_type'] !== IN_TOTO_STATEMENT) fail(`the statement's _type must be ${IN_TOTO_STATEMENT}`);
  if (statement['predicateType'] !== MODEL_SIGNING_PREDICATE) fail(`the statement's predicateType must be ${MODEL_SIGNING_PREDICATE}`);
  const subjects = statement['subject'];
  if (!Array.isArray(subjects) || subjects.length !== 1) fail('the statement must have exactly one subject');
  const subjectDigest = objectAt(objectAt(subjects[0], 'subject[0]')['digest'], 'subject[0].digest')['sha256'];
  const predicate = objectAt(statement['predicate'], 'predicate');
  const serialization = objectAt(predicate['serialization'], 'predicate.serialization');
  if (serialization['method'] !== 'files' || serialization['hash_type'] !== 'sha256')
    fail('only the `files` serialization with sha256 is supported (not shards)');
  const ignorePaths = Array.isArray(serialization['ignore_paths'])
    ? serialization['ignore_paths'].filter((path): path is string => typeof path === 'string')
    : [];
  const list = predicate['resources'];
  if (!Array.isArray(list) || list.length === 0) fail('predicate.resources must list the signed files');
  const resources = list.map((item, index) => {
    const resource = objectAt(item, `predicate.resources[${index}]`);
    const { name, algorithm, digest } = resource;
    if (typeof name !== 'string' || algorithm !== 'sha256' || typeof digest !== 'string' || !SHA256.test(digest))
      fail(`predicate.resources[${index}] must have a name and a sha256 digest`);
    return { name, sha256: digest };
  });
  const root = createHash('sha256');
  for (const resource of resources) root.update(Buffer.from(resource.sha256, 'hex'));
  if (root.digest('hex') !== subjectDigest) fail('the subject digest is not the digest of the listed resources');
  return { resources, ignorePaths };
}

function objectAt(value: unknown, field: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) fail(`${field} must be an object`);
  return value as Record<string, unknown>;
}

function base64At(value: unknown, field: string): Buffer {
  if (typeof value !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(value) || value.length === 0) fail(`${field} must be base64`);
  return Buffer.from(value as string, 'base64');
}

function fail(message: string): never {
  throw new MalformedBundleError(message);
}
