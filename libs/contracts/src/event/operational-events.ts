import { z } from 'zod';
import { EventEnvelopeSchema, type EventEnvelope } from './event.schema';
import { isOperationalEventType, type OperationalEventType } from './operational-event-types';

export { OPERATIONAL_EVENT_TYPES, isOperationalEventType, type OperationalEventType } from './operational-event-types';

export const ENDPOINT_STATES = ['enabled', 'paused', 'disabled'] as const;
export const EndpointStateSchema = z.enum(ENDPOINT_STATES);
export type EndpointState = z.infer<typeof EndpointStateSchema>;

/** Who or what changed an endpoint's state: an operator through the API, a `410 Gone` answer, or the run of failed deliveries. */
export const STATE_CHANGE_CAUSES = ['operator', 'gone', 'failure_threshold'] as const;
export const StateChangeCauseSchema = z.enum(STATE_CHANGE_CAUSES);
export type StateChangeCause = z.infer<typeof StateChangeCauseSchema>;

/** The endpoint an operational event is about, as its payload names it. */
const SubjectEndpointSchema = z.object({ id: z.string(), url: z.string(), description: z.string() });

/** `data` of `endpoint.disabled|enabled|paused|resumed`. */
export const EndpointStateEventDataSchema = z.object({
  endpoint: SubjectEndpointSchema,
  state: EndpointStateSchema,
  previousState: EndpointStateSchema,
  /** `operator` (with `actor`: the API key or token that asked), `gone` or `failure_threshold`. */
  cause: StateChangeCauseSchema,
  actor: z.string().nullable(),
  /** A sentence for a human: "the endpoint answered 410 Gone", "10 deliveries in a row failed", or the operator's own reason. */
  reason: z.string(),
  changedAt: z.string(),
});
export type EndpointStateEventData = z.infer<typeof EndpointStateEventDataSchema>;

/** `data` of `delivery.exhausted`: the delivery given up, and how many more of the endpoint's were given up without an event of their own since the last one. */
export const DeliveryExhaustedEventDataSchema = z.object({
  endpoint: SubjectEndpointSchema,
  delivery: z.object({
    id: z.string(),
    eventId: z.string(),
    eventType: z.string(),
    attempts: z.number().int(),
    reason: z.string(),
    exhaustedAt: z.string(),
  }),
  /** Deliveries of this endpoint exhausted since the previous `delivery.exhausted` about it, not counting this one. */
  alsoExhausted: z.number().int().min(0),
});
export type DeliveryExhaustedEventData = z.infer<typeof DeliveryExhaustedEventDataSchema>;

/** The endpoint an operational event is about (never delivered to it); undefined for every other event. */
export function subjectEndpointOf(event: Pick<EventEnvelope, 'type' | 'data'>): string | undefined {
  if (!isOperationalEventType(event.type)) return undefined;
  const endpoint = (event.data as { endpoint?: { id?: unknown } }).endpoint;
  return typeof endpoint?.id === 'string' ? endpoint.id : undefined;
}

/**
 * An operational event as it enters the stream (produced straight onto the
 * accepted-events topic, so it is logged and fanned out like any other). The
 * id is given by the emitter and derived from what happened (e.g. the endpoint
 * and its state version), so an emission redone after a crash is the same
 * event, the same deliveries and the same `webhook-id`s.
 */
export function operationalEvent(
  tenantId: string,
  type: OperationalEventType,
  id: string,
  data: EndpointStateEventData | DeliveryExhaustedEventData,
  at: Date,
): EventEnvelope {
  const when = at.toISOString();
  return EventEnvelopeSchema.parse({ id, tenantId, type, data, occurredAt: when, receivedAt: when });
}
