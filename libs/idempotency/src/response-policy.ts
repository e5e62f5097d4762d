import { HttpException, StreamableFile } from '@nestjs/common';

// 4xx answers that mean "not now" rather than "not this request": keeping them
// would turn a passing condition into the permanent answer for the key.
const TRANSIENT_CLIENT_STATUSES = new Set([408, 409, 425, 429]);

/**
 * Whether a final status is stored and replayed for the rest of the key's
 * 24 h. 2xx, 3xx and 4xx are: they are what this request gets, and replaying
 * them is what lets a client retry blindly. 5xx is not: the key is released so
 * the client can retry the same key once the fault is gone (with Stripe's
 * choice, storing 5xx, it would have to mint a new key, which protects
 * nothing). Nor are the transient 4xx above.
 */
export function isReplayableStatus(status: number): boolean {
  return status < 500 && !TRANSIENT_CLIENT_STATUSES.has(status);
}

/** What Nest's default exception filter sends for an error: an HttpException's own body, else a 500. */
export function renderNestError(error: unknown): { status: number; body: unknown } {
  if (!(error instanceof HttpException)) return { status: 500, body: undefined };
  const response = error.getResponse();
  return {
    status: error.getStatus(),
    body: typeof response === 'object' && response !== null ? response : { statusCode: error.getStatus(), message: response },
  };
}

/** Bodies that survive a JSON round trip; files and streams are sent once and cannot be replayed. */
export function isStorableBody(body: unknown): boolean {
  if (body instanceof StreamableFile || Buffer.isBuffer(body) || body instanceof Uint8Array) return false;
  return !(typeof body === 'object' && body !== null && typeof (body as { pipe?: unknown }).pipe === 'function');
}
