import { HEADERS } from '@hookline/verify';
import { signEd25519 } from './ed25519';
import { generateNonce, signHooklineV1 } from './hookline-v1';
import type { HmacSecret, PrivateKeyInput } from './keys';
import { signRsaSha256, type RsaSigningKey } from './rsa-sha256';
import { timestampText, type Body } from './signed-content';
import { signStandardWebhooks } from './standard-webhooks';

/**
 * Header names as sent (lower case, as HTTP/2 requires). They are the wire
 * protocol, so the signer takes them from the receiver library rather than
 * keeping a copy that could drift.
 */
export const SIGNATURE_HEADERS = HEADERS;

/** One signature scheme of an endpoint with the key material valid right now. */
export type SchemeConfig =
  | { scheme: 'v1'; secrets: readonly HmacSecret[] }
  | { scheme: 'hookline-v1'; secrets: readonly HmacSecret[] }
  | { scheme: 'ed25519'; privateKeys: readonly PrivateKeyInput[] }
  | { scheme: 'rsa-sha256'; keys: readonly RsaSigningKey[] };

export type SchemeName = SchemeConfig['scheme'];

export interface SignRequestInput {
  schemes: readonly SchemeConfig[];
  /** The event id: `webhook-id`, identical on every retry. */
  id: string;
  /** Unix seconds of this attempt. */
  timestamp: number;
  /** The exact body bytes that are sent. */
  body: Body;
  /** Path and query of the endpoint URL (`requestPath(url)`); required by `hookline-v1`. */
  path?: string;
  /** Defaults to a fresh random nonce; pass one only to make tests deterministic. */
  nonce?: string;
}

/**
 * Every signature header of one attempt. `webhook-id` and `webhook-timestamp`
 * are always present (the delivery request carries them whatever the scheme);
 * `v1` and `ed25519` share `webhook-signature`, space-separated, `v1` first.
 */
export function signRequest(input: SignRequestInput): Record<string, string> {
  if (input.schemes.length === 0) throw new Error('no signature scheme configured');
  const seen = new Set<SchemeName>();
  const headers: Record<string, string> = {
    [SIGNATURE_HEADERS.id]: input.id,
    [SIGNATURE_HEADERS.timestamp]: timestampText(input.timestamp),
  };
  const standard: string[] = [];
  const { id, timestamp, body } = input;
  for (const config of input.schemes) {
    if (seen.has(config.scheme)) throw new Error(`signature scheme ${config.scheme} configured twice`);
    seen.add(config.scheme);
    switch (config.scheme) {
      case 'v1':
        standard.unshift(signStandardWebhooks({ secrets: config.secrets, id, timestamp, body }));
        break;
      case 'ed25519':
        standard.push(signEd25519({ privateKeys: config.privateKeys, id, timestamp, body }));
        break;
      case 'hookline-v1': {
        if (input.path === undefined) throw new Error('hookline-v1 signs the request path; pass path');
        const nonce = input.nonce ?? generateNonce();
        headers[SIGNATURE_HEADERS.hooklineTimestamp] = headers[SIGNATURE_HEADERS.timestamp];
        headers[SIGNATURE_HEADERS.hooklineNonce] = nonce;
        headers[SIGNATURE_HEADERS.hooklineSignature] = signHooklineV1({ secrets: config.secrets, timestamp, nonce, path: input.path, body });
        break;
      }
      case 'rsa-sha256': {
        const { signature, keyId } = signRsaSha256({ keys: config.keys, id, timestamp, body });
        headers[SIGNATURE_HEADERS.rsaSignature] = signature;
        headers[SIGNATURE_HEADERS.keyId] = keyId;
        break;
      }
    }
  }
  if (standard.length > 0) headers[SIGNATURE_HEADERS.signature] = standard.join(' ');
  return headers;
}
