import { activeSecrets, sealingContext, type EndpointChat, type EndpointConfig } from '@hookline/contracts';
import type { KeyObject } from 'node:crypto';
import { hmacKeyOf, loadPrivateKey } from './keys';
import type { RsaSigningKey } from './rsa-sha256';
import type { SchemeConfig } from './sign-request';

/** Opens a value sealed under the master key; `MasterKeyring` (libs/encryption) is one. Throws when it does not open. */
export interface SealedValueOpener {
  open(sealed: string, context: string): string;
}

/** An endpoint's secrets and private keys, opened and decoded, ready to sign with. */
export interface KeyMaterial {
  secrets: { secret: KeyObject; expiresAt: string | null }[];
  ed25519: KeyObject[];
  rsa: RsaSigningKey[];
  /** A chat endpoint's URL (it holds the tool's token); absent for a webhook endpoint. */
  chatUrl?: string;
}

/** What of an endpoint its key material is read from: the endpoints topic and admin-api's rows both have it. */
export type SealedKeys = Pick<EndpointConfig, 'id' | 'tenantId' | 'secrets' | 'signingKeys'> & { chat?: Pick<EndpointChat, 'url'> | null };

/**
 * Opens every secret and private key of an endpoint, and a chat endpoint's URL. Each value is bound to
 * its tenant, endpoint and purpose, so one copied from another row throws, as
 * does one sealed under an unknown master key; the error names no value.
 */
export function openKeyMaterial(endpoint: SealedKeys, keyring: SealedValueOpener): KeyMaterial {
  const secretContext = sealingContext('endpoint-secret', endpoint.tenantId, endpoint.id);
  const keyContext = sealingContext('signing-key', endpoint.tenantId, endpoint.id);
  const material: KeyMaterial = { secrets: [], ed25519: [], rsa: [] };
  for (const s of endpoint.secrets) material.secrets.push({ secret: hmacKeyOf(keyring.open(s.secret, secretContext)), expiresAt: s.expiresAt });
  for (const k of endpoint.signingKeys) {
    const privateKey = loadPrivateKey(keyring.open(k.privateKey, keyContext));
    if (k.algorithm === 'ed25519') material.ed25519.push(privateKey);
    else material.rsa.push({ keyId: k.keyId, privateKey });
  }
  if (endpoint.chat) material.chatUrl = keyring.open(endpoint.chat.url, sealingContext('chat-url', endpoint.tenantId, endpoint.id));
  return material;
}

/** The schemes to sign an attempt with, or why nothing can be signed (then nothing is sent). */
export type SigningSchemes =
  { ok: true; schemes: SchemeConfig[]; chatUrl?: string } | { ok: false; kind: 'no_valid_secret' | 'key_unavailable'; message: string };

/**
 * Every scheme the endpoint chose, each with the keys that sign at `at`: the
 * secrets not yet expired (old and new during a rotation) and every key pair
 * of the scheme's algorithm; with a chat endpoint's opened URL, where the
 * request goes.
 */
export function signingSchemes(endpoint: Pick<EndpointConfig, 'signatureSchemes'>, material: KeyMaterial, at: Date): SigningSchemes {
  const secrets = activeSecrets(material.secrets, at).map((s) => s.secret);
  const schemes: SchemeConfig[] = [];
  for (const scheme of endpoint.signatureSchemes) {
    if (scheme === 'v1' || scheme === 'hookline-v1') {
      if (secrets.length === 0) return { ok: false, kind: 'no_valid_secret', message: 'every secret of the endpoint has expired' };
      schemes.push({ scheme, secrets });
    } else if (scheme === 'ed25519') {
      if (material.ed25519.length === 0) return { ok: false, kind: 'key_unavailable', message: 'the endpoint signs with ed25519 but holds no ed25519 key' };
      schemes.push({ scheme, privateKeys: material.ed25519 });
    } else {
      if (material.rsa.length === 0) return { ok: false, kind: 'key_unavailable', message: 'the endpoint signs with rsa-sha256 but holds no rsa-sha256 key' };
      schemes.push({ scheme, keys: material.rsa });
    }
  }
  return { ok: true, schemes, ...(material.chatUrl === undefined ? {} : { chatUrl: material.chatUrl }) };
}

/** The reason given when key material does not open: it names no value; which key is wrong is for the operator. */
export const KEY_UNAVAILABLE_MESSAGE = 'a secret or private key of the endpoint does not open with HOOKLINE_MASTER_KEY (or HOOKLINE_MASTER_KEY_PREVIOUS)';
