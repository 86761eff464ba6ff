/**
 * CRC-64-AVRO, the 64-bit Rabin fingerprint the Avro specification defines for schema
 * fingerprints ("Schema Fingerprints"). avsc ships only MD5 and SHA-256, but single-object
 * encoding requires this one, so Java and Python readers can look our schemas up.
 */
const EMPTY = 0xc15d213aa4d7a795n;
const MASK_64 = 0xffffffffffffffffn;

const TABLE: readonly bigint[] = Array.from({ length: 256 }, (_, index) => {
  let fingerprint = BigInt(index);
  for (let bit = 0; bit < 8; bit += 1) {
    fingerprint = (fingerprint >> 1n) ^ (EMPTY & -(fingerprint & 1n) & MASK_64);
  }
  return fingerprint;
});

/** The fingerprint as an unsigned 64-bit integer. */
export function rabinFingerprint64(bytes: Uint8Array): bigint {
  let fingerprint = EMPTY;
  for (const byte of bytes) {
    fingerprint = (fingerprint >> 8n) ^ (TABLE[Number((fingerprint ^ BigInt(byte)) & 0xffn)] as bigint);
  }
  return fingerprint;
}

/** The fingerprint of a canonical form string, as Java's `SchemaNormalization.parsingFingerprint64` returns it (signed). */
export function schemaFingerprint(canonicalForm: string): bigint {
  return BigInt.asIntN(64, rabinFingerprint64(Buffer.from(canonicalForm, 'utf8')));
}

/** The 8 little-endian bytes single-object encoding puts after the `C3 01` marker. */
export function fingerprintBytes(fingerprint: bigint): Buffer {
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64LE(BigInt.asUintN(64, fingerprint));
  return bytes;
}
