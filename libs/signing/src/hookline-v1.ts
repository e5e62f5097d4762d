import { NONCE_PATTERN } from '@hookline/verify';
import { createHmac, randomBytes } from 'node:crypto';
import { hmacKeyOf, type HmacSecret } from './keys';
import { timestampText, type Body } from './signed-content';

/** A fresh `X-Hookline-Nonce`: 128 random bits, base64url (22 characters). */
export function generateNonce(): string {
  return randomBytes(16).toString('base64url');
}

/**
 * The `path` that `hookline-v1` signs: path and query of the endpoint URL,
 * exactly as an HTTP client puts them on the request line (no fragment).
 * Take it from the same URL object that is sent, so both sides see the same
 * percent-encoding.
 */
export function requestPath(url: string | URL): string {
  const parsed = typeof url === 'string' ? new URL(url) : url;
  return parsed.pathname + parsed.search;
}

export interface HooklineV1SignInput {
  secrets: readonly HmacSecret[];
  timestamp: number;
  nonce: string;
  path: string;
  body: Body;
}

/**
 * `X-Hookline-Signature` value: `sha256=<hex HMAC-SHA256(secret,
 * timestamp.nonce.path.body)>` per valid secret, joined with `,`. A comma is
 * the HTTP list separator, so a proxy that folds repeated header lines
 * produces a value receivers still parse.
 */
export function signHooklineV1(input: HooklineV1SignInput): string {
  if (input.secrets.length === 0) throw new Error('no secret to sign with');
  // The nonce is the field boundary between timestamp and path; a '.' in it
  // would let two different (nonce, path) pairs sign the same bytes.
  if (!NONCE_PATTERN.test(input.nonce)) throw new Error('nonce must be 16–128 base64url characters');
  const prefix = `${timestampText(input.timestamp)}.${input.nonce}.${input.path}.`;
  return input.secrets.map((s) => `sha256=${createHmac('sha256', hmacKeyOf(s)).update(prefix).update(input.body).digest('hex')}`).join(',');
}
