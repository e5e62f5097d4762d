import { createHmac } from 'node:crypto';

export const MASTER_KEY_BYTES = 32;

/**
 * Reads a master key as written in the environment: 32 bytes as base64
 * (`openssl rand -base64 32`) or as 64 hex digits (`openssl rand -hex 32`).
 * The error names the rule, never the value.
 */
export function parseMasterKey(text: string): Buffer {
  const trimmed = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(trimmed)
    ? Buffer.from(trimmed, 'hex')
    : /^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed)
      ? Buffer.from(trimmed, 'base64')
      : null;
  if (!key) throw new Error('must be 32 bytes as base64 or 64 hex digits (openssl rand -base64 32)');
  if (key.length !== MASTER_KEY_BYTES) throw new Error(`must be 32 bytes as base64 or 64 hex digits (decodes to ${key.length} bytes; openssl rand -base64 32)`);
  return key;
}

/**
 * A short public name for a master key, stored in every sealed value so the
 * right key is picked after a rotation. It is an HMAC under the key, so it
 * says nothing about the key to someone who reads the database.
 */
export function masterKeyId(key: Buffer): string {
  return createHmac('sha256', key).update('hookline master key id').digest().subarray(0, 6).toString('base64url');
}
