import { SIGNATURE_HEADERS } from '@hookline/signing';

/** Headers the dispatcher itself sets: signatures, ids and trace context, none of which is a secret. */
const HOOKLINE_HEADERS = new Set<string>([
  ...Object.values(SIGNATURE_HEADERS),
  ...['content-type', 'x-hookline-event', 'x-hookline-delivery', 'idempotency-key', 'traceparent', 'tracestate'],
]);

/** A custom header whose name says it carries a credential for the receiver (an operator's `Authorization: Bearer …`, an API key). */
const CREDENTIAL_NAME = /auth|token|secret|passw|cookie|session|credential|key|signature/i;

export const REDACTED = '[redacted]';

/**
 * The request headers of an attempt as the log may show them. The log keeps
 * what was sent, and an endpoint's custom headers may hold the receiver's
 * credentials; those values are replaced, Hookline's own headers never are.
 */
export function withoutCredentials(headers: Record<string, string>): Record<string, string> {
  const shown: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    shown[name] = HOOKLINE_HEADERS.has(name.toLowerCase()) || !CREDENTIAL_NAME.test(name) ? value : REDACTED;
  }
  return shown;
}
