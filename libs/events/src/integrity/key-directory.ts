import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SigningKey } from './event-seal';
import { parseKeyring, SIGNED_TOPIC_OF_SERVICE, type Keyring, type KeyringEntry, type SigningService } from './keyring';

/**
 * A directory of event keys (EVENT_KEYS_DIR): `<service>.key.pem`, each signing service's Ed25519
 * private key (mode 0600), and `keyring.json`, the public keys every consumer trusts, each for its
 * service's topic.
 */
export const KEYRING_FILE = 'keyring.json';

export function privateKeyFile(dir: string, service: string): string {
  return join(dir, `${service}.key.pem`);
}

/** Creates a fresh key per signing service and the keyring naming them (local stack, tests). */
export function writeEventKeyDirectory(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const entries: KeyringEntry[] = [];
  for (const [service, topic] of Object.entries(SIGNED_TOPIC_OF_SERVICE)) {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const file = privateKeyFile(dir, service);
    writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    chmodSync(file, 0o600);
    entries.push({
      keyId: `${service}:${createHash('sha256').update(publicKeyPem).digest('hex').slice(0, 16)}`,
      service,
      topics: [topic],
      publicKeyPem,
    });
  }
  writeFileSync(join(dir, KEYRING_FILE), `${JSON.stringify({ keys: entries }, null, 2)}\n`);
}

/** The keyring of a key directory. */
export function readKeyring(dir: string): Keyring {
  return parseKeyring(readFileSync(join(dir, KEYRING_FILE), 'utf8'));
}

/** A signing service's key, its id as the keyring names it. */
export function readSigningKey(dir: string, service: SigningService): SigningKey {
  const entries = (JSON.parse(readFileSync(join(dir, KEYRING_FILE), 'utf8')) as { keys: KeyringEntry[] }).keys;
  const privateKey = createPrivateKey(readFileSync(privateKeyFile(dir, service), 'utf8'));
  const publicKeyPem = createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString();
  const entry = entries.find((candidate) => candidate.service === service && candidate.publicKeyPem.trim() === publicKeyPem.trim());
  if (!entry) throw new Error(`${KEYRING_FILE} in ${dir} does not list the public key of ${privateKeyFile(dir, service)}`);
  return { keyId: entry.keyId, privateKey };
}
