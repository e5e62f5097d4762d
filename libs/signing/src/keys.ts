import { loadPublicKey, loadSecret, PUBLIC_KEY_PREFIX, type PublicKeyConfig } from '@hookline/verify';
import { createPrivateKey, type JsonWebKey, type KeyObject } from 'node:crypto';

export { PUBLIC_KEY_PREFIX };
export const SECRET_KEY_PREFIX = 'whsk_';

// DER header that turns a raw 32-byte Ed25519 seed into PKCS#8, so
// node:crypto can load the compact `whsk_` form without a library.
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

// The key id is part of the wire protocol: one definition, shared with the receiver library.
export { keyIdOf } from '@hookline/verify';

/** A public key in the forms receivers ask for: SPKI PEM and a JWK carrying the key id (given, or computed). */
export function publicKeyForms(publicKey: PublicKeyConfig): { pem: string; jwk: JsonWebKey } {
  const trusted = loadPublicKey(publicKey);
  const alg = trusted.type === 'rsa' ? 'RS256' : 'EdDSA';
  return {
    pem: trusted.key.export({ format: 'pem', type: 'spki' }).toString(),
    jwk: { ...trusted.key.export({ format: 'jwk' }), kid: trusted.keyId(), alg, use: 'sig' },
  };
}

/**
 * An HMAC secret as the signers take it: `whsec_…` text, decoded on each call,
 * or a KeyObject the caller decoded once (`loadSecret`), as the dispatcher
 * does per endpoint version.
 */
export type HmacSecret = string | KeyObject;

export function hmacKeyOf(secret: HmacSecret): KeyObject {
  return typeof secret === 'string' ? loadSecret(secret) : secret;
}
