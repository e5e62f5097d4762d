import { isOperationalEventType } from './operational-event-types';

/**
 * Whether an endpoint subscribed to `patterns` wants an event of `type`.
 * `*` matches every type a producer can send; `invoice.*` matches every type
 * under `invoice.` (`invoice.paid`, `invoice.payment.failed`) but not
 * `invoice` itself; anything else matches exactly. Hookline's own events
 * (`endpoint.*`, `delivery.exhausted`) are opt-in: `*` leaves them out, so an
 * endpoint created with the default subscription never receives alerts about
 * other endpoints it was not set up to read; a pattern that names them
 * (`endpoint.*`, `delivery.exhausted`, `delivery.*`) takes them.
 */
export function matchesEventType(patterns: readonly string[], type: string): boolean {
  const operational = isOperationalEventType(type);
  return patterns.some((p) => (p === '*' && !operational) || p === type || (p.endsWith('.*') && type.startsWith(p.slice(0, -1))));
}
