/** The request header a client sends; compared case-insensitively like every HTTP header name. */
export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';
/** Set on every replayed response, so a client can tell a replay from a first run. */
export const IDEMPOTENT_REPLAYED_HEADER = 'Idempotent-Replayed';

export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;

/** The key, or the rule it breaks (without the header's name: the caller names the field). */
export type IdempotencyKeyCheck = { ok: true; key: string } | { ok: false; rule: string };

// Printable ASCII (space to tilde). Stripe and the IETF draft both leave the
// alphabet open; restricting it keeps keys safe to log and to show in errors.
const PRINTABLE_ASCII = /^[\x20-\x7e]+$/;

/**
 * Checks the raw header value(s). Node joins repeated unknown headers with
 * ", ", which would silently turn two keys into a third, so callers pass every
 * value they got (`req.headersDistinct`) and more than one is refused.
 */
export function checkIdempotencyKey(values: readonly string[]): IdempotencyKeyCheck {
  if (values.length > 1) return { ok: false, rule: `send the header once (got ${values.length})` };
  const key = values[0] ?? '';
  if (key.length === 0) return { ok: false, rule: 'must not be empty' };
  if (key.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
    return { ok: false, rule: `must be at most ${MAX_IDEMPOTENCY_KEY_LENGTH} characters (got ${key.length})` };
  }
  if (!PRINTABLE_ASCII.test(key)) return { ok: false, rule: 'must be printable ASCII (0x20-0x7E)' };
  return { ok: true, key };
}
