import { MAX_ASYMMETRIC_SIGNATURES } from '@hookline/verify';
import { generateKeyPairSync, sign } from 'node:crypto';
import { keyIdOf, loadPrivateKey, PUBLIC_KEY_PREFIX, SECRET_KEY_PREFIX, type PrivateKeyInput } from './keys';
import { timestampText, withBody, type Body } from './signed-content';

export interface Ed25519KeyPair {
  algorithm: 'ed25519';
  /** RFC 7638 thumbprint of the public key (see `keyIdOf`). */
  keyId: string;
  /** `whpk_` + base64 of the raw 32-byte public key (Standard Webhooks form). */
  publicKey: string;
  /** The same public key as SPKI PEM, for receivers whose tooling wants PEM. */
  publicKeyPem: string;
  /** `whsk_` + base64 of the 32-byte seed. Secret: store encrypted. */
  privateKey: string;
}

export function generateEd25519KeyPair(): Ed25519KeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const { x, d } = privateKey.export({ format: 'jwk' });
  return {
    algorithm: 'ed25519',
    keyId: keyIdOf(publicKey),
    publicKey: PUBLIC_KEY_PREFIX + base64(x),
    publicKeyPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    privateKey: SECRET_KEY_PREFIX + base64(d),
  };
}

function base64(jwkField: string | undefined): string {
  if (!jwkField) throw new Error('ed25519 key export lacks a field');
  return Buffer.from(jwkField, 'base64url').toString('base64');
}

export interface Ed25519SignInput {
  /** Every key that signs right now; during a rotation, old and new. */
  privateKeys: readonly PrivateKeyInput[];
  id: string;
  timestamp: number;
  body: Body;
}

/**
 * Standard Webhooks `v1a` signatures over `id.timestamp.body`, one per key,
 * space-separated, ready to sit beside `v1` entries in `webhook-signature`.
 */
export function signEd25519(input: Ed25519SignInput): string {
  if (input.privateKeys.length === 0) throw new Error('no ed25519 key to sign with');
  // @hookline/verify refuses more, as a guard against CPU-burning headers.
  if (input.privateKeys.length > MAX_ASYMMETRIC_SIGNATURES) throw new Error(`at most ${MAX_ASYMMETRIC_SIGNATURES} ed25519 keys sign at once`);
  const content = withBody(`${input.id}.${timestampText(input.timestamp)}.`, input.body);
  return input.privateKeys
    .map((k) => {
      const key = loadPrivateKey(k);
      if (key.asymmetricKeyType !== 'ed25519') throw new Error(`ed25519 scheme given a ${key.asymmetricKeyType} key`);
      return `v1a,${sign(null, content, key).toString('base64')}`;
    })
    .join(' ');
}
