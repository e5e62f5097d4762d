import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/**
 * Names the caller an idempotency key belongs to; `undefined` means the
 * request has no caller identity, and the key is then not honoured.
 */
export type CallerScope = (request: { headers: IncomingHttpHeaders }) => string | undefined;

/**
 * Scope = SHA-256 of the bearer token, until API keys have ids of their own:
 * then scope by `key:<id>` instead, which the `bearer:` prefix keeps apart.
 * Hashed so the table never holds a usable credential. Guards run before
 * interceptors, so by the time this is asked the token has been accepted.
 */
export const bearerTokenScope: CallerScope = (request) => {
  const match = /^Bearer (.+)$/.exec(request.headers.authorization ?? '');
  return match ? `bearer:${createHash('sha256').update(match[1]).digest('hex')}` : undefined;
};
