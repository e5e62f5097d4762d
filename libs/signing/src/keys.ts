import { createHash, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';

export const PUBLIC_KEY_PREFIX = 'whpk_';
export const SECRET_KEY_PREFIX = 'whsk_';

// DER headers that turn a raw 32-byte Ed25519 key into SPKI / PKCS#8, so
// node:crypto can load the compact `whpk_` / `whsk_` forms without a library.
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/** A private key as stored: `whsk_…` (Ed25519), PKCS#8 PEM, or an already loaded key. */
export type PrivateKeyInput = string | KeyObject;
/** A public key as published: `whpk_…` (Ed25519), SPKI PEM, or an already loaded key. */
export type PublicKeyInput = string | KeyObject;

export function loadPrivateKey(input: PrivateKeyInput): KeyObject {
  if (typeof input !== 'string') return input;
  if (input.startsWith(SECRET_KEY_PREFIX)) {
    const raw = Buffer.from(input.slice(SECRET_KEY_PREFIX.length), 'base64');
    // 64 bytes is the libsodium / Go layout (seed followed by the public key).
    if (raw.length !== 32 && raw.length !== 64) throw new Error('a whsk_ key must hold a 32-byte Ed25519 seed');
    return createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, raw.subarray(0, 32)]), format: 'der', type: 'pkcs8' });
  }
  return createPrivateKey(input);
}

export function loadPublicKey(input: PublicKeyInput): KeyObject {
  if (typeof input !== 'string') return input.type === 'private' ? createPublicKey(input) : input;
  if (input.startsWith(PUBLIC_KEY_PREFIX)) {
    const raw = Buffer.from(input.slice(PUBLIC_KEY_PREFIX.length), 'base64');
    if (raw.length !== 32) throw new Error('a whpk_ key must hold a 32-byte Ed25519 public key');
    return createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
  }
  return createPublicKey(input);
}

/**
 * The key id published beside a public key: its RFC 7638 JWK thumbprint
 * (base64url SHA-256 of the canonical JWK). Derived from the key itself, so a
 * receiver can recompute it and nobody has to keep an id ↔ key table in sync.
 */
export function keyIdOf(key: PublicKeyInput | KeyObject): string {
  const jwk = loadPublicKey(key).export({ format: 'jwk' });
  let canonical: string;
  if (jwk.kty === 'OKP') canonical = JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x });
  else if (jwk.kty === 'RSA') canonical = JSON.stringify({ e: jwk.e, kty: jwk.kty, n: jwk.n });
  else throw new Error(`unsupported key type ${String(jwk.kty)}`);
  return createHash('sha256').update(canonical).digest('base64url');
}
