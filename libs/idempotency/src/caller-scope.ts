import type { IncomingHttpHeaders } from 'node:http';

/**
 * Names the caller an idempotency key belongs to (in Hookline, the API key's
 * id, which the auth guard has resolved before interceptors run); `undefined`
 * means the request has no caller identity, and the key is then not honoured.
 */
export type CallerScope = (request: { headers: IncomingHttpHeaders }) => string | undefined;
