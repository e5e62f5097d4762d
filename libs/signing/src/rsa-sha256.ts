import { KEY_ID_PATTERN, MAX_ASYMMETRIC_SIGNATURES } from '@hookline/verify';
import { generateKeyPair, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { keyIdOf, loadPrivateKey, type PrivateKeyInput } from './keys';
import { timestampText, withBody, type Body } from './signed-content';

/** 3072 bits: NIST SP 800-57's floor for use beyond 2030 (≈128-bit strength). */
export const DEFAULT_RSA_MODULUS_LENGTH = 3072;

export interface RsaKeyPair {
  algorithm: 'rsa-sha256';
  /** RFC 7638 thumbprint of the public key; sent in `X-Hookline-Key-Id`. */
  keyId: string;
  modulusLength: number;
  /** SPKI PEM, published to the receiver. */
  publicKey: string;
  /** PKCS#8 PEM. Secret: store encrypted. */
  privateKey: string;
}

export type RsaModulusLength = 2048 | 3072 | 4096;

export function generateRsaKeyPair(options: { modulusLength?: RsaModulusLength } = {}): RsaKeyPair {
  const modulusLength = options.modulusLength ?? DEFAULT_RSA_MODULUS_LENGTH;
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength, publicExponent: 0x10001 });
  return exportRsaKeyPair(publicKey, privateKey, modulusLength);
}

/** Like `generateRsaKeyPair`, off the event loop: a 3072-bit key takes a good part of a second. */
export async function generateRsaKeyPairAsync(options: { modulusLength?: RsaModulusLength } = {}): Promise<RsaKeyPair> {
  const modulusLength = options.modulusLength ?? DEFAULT_RSA_MODULUS_LENGTH;
  const { publicKey, privateKey } = await promisify(generateKeyPair)('rsa', { modulusLength, publicExponent: 0x10001 });
  return exportRsaKeyPair(publicKey, privateKey, modulusLength);
}

function exportRsaKeyPair(publicKey: KeyObject, privateKey: KeyObject, modulusLength: number): RsaKeyPair {
  return {
    algorithm: 'rsa-sha256',
    keyId: keyIdOf(publicKey),
    modulusLength,
    publicKey: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    privateKey: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
  };
}

export interface RsaSigningKey {
  keyId: string;
  privateKey: PrivateKeyInput;
}

export interface RsaSignInput {
  /** Every key that signs right now; during a rotation, old and new. */
  keys: readonly RsaSigningKey[];
  id: string;
  timestamp: number;
  body: Body;
}

/**
 * RSASSA-PKCS1-v1_5 with SHA-256 over the Standard Webhooks content,
 * `id.timestamp.body`, one signature per key. Both header values list their
 * entries in the same order, joined with `,` (base64 and key ids never hold one).
 */
export function signRsaSha256(input: RsaSignInput): { signature: string; keyId: string } {
  if (input.keys.length === 0) throw new Error('no rsa key to sign with');
  // @hookline/verify refuses more, as a guard against CPU-burning headers.
  if (input.keys.length > MAX_ASYMMETRIC_SIGNATURES) throw new Error(`at most ${MAX_ASYMMETRIC_SIGNATURES} rsa keys sign at once`);
  const content = withBody(`${input.id}.${timestampText(input.timestamp)}.`, input.body);
  const signatures = input.keys.map(({ keyId, privateKey }) => {
    if (!KEY_ID_PATTERN.test(keyId)) throw new Error('rsa key id must be 1–128 base64url characters');
    const key = loadPrivateKey(privateKey);
    if (key.asymmetricKeyType !== 'rsa') throw new Error(`rsa-sha256 scheme given a ${key.asymmetricKeyType} key`);
    return sign('sha256', content, key).toString('base64');
  });
  return { signature: signatures.join(','), keyId: input.keys.map((k) => k.keyId).join(',') };
}
