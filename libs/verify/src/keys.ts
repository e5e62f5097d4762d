import { createHash, createPublicKey, createSecretKey, type KeyObject } from 'node:crypto';
import { PUBLIC_KEY_PREFIX, SECRET_PREFIX } from './wire';

// SPKI header for a raw 32-byte Ed25519 key, so node:crypto can load `whpk_` keys.
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/**
 * A trusted public key: `whpk_…` (Ed25519, Standard Webhooks form), SPKI PEM
 * (Ed25519 or RSA), a `KeyObject`, or any of those with the key id Hookline
 * published beside it. Without a key id, the RFC 7638 thumbprint is used,
 * which is what Hookline publishes.
 */
export type PublicKeyConfig = string | KeyObject | { key: string | KeyObject; keyId?: string };

export interface TrustedKey {
  readonly type: 'ed25519' | 'rsa';
  readonly key: KeyObject;
  keyId(): string;
}

/**
 * The HMAC key of a `whsec_` secret (base64 after the prefix), as Standard
 * Webhooks defines it. A KeyObject, because `createHmac` with a raw Buffer key
 * costs several times more per call.
 */
export function loadSecret(secret: string): KeyObject {
  const key = Buffer.from(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret, 'base64');
  if (key.length === 0) throw new TypeError('a webhook secret is empty');
  return createSecretKey(key);
}

function toKeyObject(input: string | KeyObject): KeyObject {
  if (typeof input !== 'string') return input.type === 'private' ? createPublicKey(input) : input;
  if (input.startsWith(PUBLIC_KEY_PREFIX)) {
    const raw = Buffer.from(input.slice(PUBLIC_KEY_PREFIX.length), 'base64');
    if (raw.length !== 32) throw new TypeError('a whpk_ key must hold a 32-byte Ed25519 public key');
    return createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
  }
  return createPublicKey(input);
}

/** RFC 7638 JWK thumbprint, base64url: the key id Hookline sends in `X-Hookline-Key-Id`. */
export function keyIdOf(input: string | KeyObject): string {
  const jwk = toKeyObject(input).export({ format: 'jwk' });
  const canonical = jwk.kty === 'RSA' ? JSON.stringify({ e: jwk.e, kty: jwk.kty, n: jwk.n }) : JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x });
  return createHash('sha256').update(canonical).digest('base64url');
}

export function loadPublicKey(config: PublicKeyConfig): TrustedKey {
  const input = typeof config === 'object' && 'key' in config ? config.key : config;
  const given = typeof config === 'object' && 'key' in config ? config.keyId : undefined;
  const key = toKeyObject(input);
  const type = key.asymmetricKeyType;
  if (type !== 'ed25519' && type !== 'rsa') throw new TypeError(`unsupported public key type ${String(type)}; expected ed25519 or rsa`);
  let keyId = given;
  return { type, key, keyId: () => (keyId ??= keyIdOf(key)) };
}
