/**
 * Hookline's own events, emitted into a tenant's event stream (README,
 * "Operational events"): an endpoint changed state, or a delivery was given
 * up. They are delivered like any other event type to the endpoints that
 * subscribe to them, with two rules that keep them from feeding themselves:
 * - an event about an endpoint is never delivered to that endpoint;
 * - a delivery of an operational event never raises another one (its
 *   exhaustion is not announced, its failures never disable an endpoint).
 * Producers cannot send these types: `EventInputSchema` refuses them (the
 * list lives apart from the payload schemas so that it can, without a cycle).
 */
export const OPERATIONAL_EVENT_TYPES = ['endpoint.disabled', 'endpoint.enabled', 'endpoint.paused', 'endpoint.resumed', 'delivery.exhausted'] as const;
export type OperationalEventType = (typeof OPERATIONAL_EVENT_TYPES)[number];

const OPERATIONAL = new Set<string>(OPERATIONAL_EVENT_TYPES);
export const isOperationalEventType = (type: string): type is OperationalEventType => OPERATIONAL.has(type);
