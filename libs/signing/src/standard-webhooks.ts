import { SECRET_PREFIX } from '@hookline/verify';
import { createHmac, randomBytes } from 'node:crypto';
import { hmacKeyOf, type HmacSecret } from './keys';
import { timestampText, type Body } from './signed-content';

/** A new endpoint secret: `whsec_` + 32 random bytes in base64. */
export function generateSecret(): string {
  return SECRET_PREFIX + randomBytes(32).toString('base64');
}

export interface SignInput {
  /** Every secret that is valid right now; during a rotation, old and new. */
  secrets: readonly HmacSecret[];
  /** The `webhook-id` value. */
  id: string;
  /** Unix seconds of this attempt (`webhook-timestamp`). */
  timestamp: number;
  /** The exact body bytes that are sent. */
  body: Body;
}

/**
 * Standard Webhooks `v1` signature: base64 HMAC-SHA256 over `id.timestamp.body`
 * with each valid secret, space-separated, so a receiver holding either the
 * old or the new secret verifies during a rotation.
 */
export function signStandardWebhooks(input: SignInput): string {
  if (input.secrets.length === 0) throw new Error('no secret to sign with');
  const prefix = `${input.id}.${timestampText(input.timestamp)}.`;
  return input.secrets.map((s) => `v1,${createHmac('sha256', hmacKeyOf(s)).update(prefix).update(input.body).digest('base64')}`).join(' ');
}
