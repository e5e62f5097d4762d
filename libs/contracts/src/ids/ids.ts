import { v5 as uuidv5, v7 as uuidv7 } from 'uuid';
import { z } from 'zod';

/*
 * Every id Hookline passes around is a branded string: the compiler refuses an
 * endpoint id where a delivery id belongs, or arguments given in the wrong
 * order to `deliveryIdFor`. A value gets its brand by passing the schema (at
 * an edge: HTTP, Kafka, the database) or from the function that makes it.
 */

export const TenantIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'must be 1-64 characters of letters, digits, "_" or "-"')
  .brand<'TenantId'>();
export type TenantId = z.infer<typeof TenantIdSchema>;

export const EventIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_.:-]{1,128}$/, 'must be 1-128 characters of letters, digits, "_", ".", ":" or "-"')
  .brand<'EventId'>();
export type EventId = z.infer<typeof EventIdSchema>;

export const EndpointIdSchema = z.uuid('must be a UUID').brand<'EndpointId'>();
export type EndpointId = z.infer<typeof EndpointIdSchema>;

export const DeliveryIdSchema = z.uuid('must be a UUID').brand<'DeliveryId'>();
export type DeliveryId = z.infer<typeof DeliveryIdSchema>;

export const AttemptIdSchema = z.uuid('must be a UUID').brand<'AttemptId'>();
export type AttemptId = z.infer<typeof AttemptIdSchema>;

// Fixed namespace: changing it would change every derived id.
const NAMESPACE = '8f3c8a52-2f7e-4e5b-9c55-6f1d0a8e7b41';

/** A delivery's id derives from its event and endpoint, so a redone fan-out yields the same id. */
export function deliveryIdFor(tenantId: TenantId, eventId: EventId, endpointId: EndpointId): DeliveryId {
  return uuidv5(`delivery:${tenantId}:${eventId}:${endpointId}`, NAMESPACE) as DeliveryId;
}

/**
 * A rule action's delivery to one endpoint: derived from the event, the rule,
 * the action's key and the endpoint, so a fan-out redone after a crash makes
 * the same deliveries, never new ones.
 */
export function ruleDeliveryIdFor(tenantId: TenantId, eventId: EventId, ruleId: string, actionKey: string, endpointId: EndpointId): DeliveryId {
  return uuidv5(`rule-delivery:${tenantId}:${eventId}:${ruleId}:${actionKey}:${endpointId}`, NAMESPACE) as DeliveryId;
}

/**
 * An action-contract invocation's id: `inv_` and a UUID derived from the
 * event, the rule and the action (a rule's `invoke` action), or from the
 * caller and its `Idempotency-Key` (an invocation through the API), so a
 * redone fan-out or a retried request is the same invocation.
 */
export function invocationIdFor(...parts: string[]): string {
  return `inv_${uuidv5(`invocation:${JSON.stringify(parts)}`, NAMESPACE).replace(/-/g, '')}`;
}

/** An attempt's id derives from its delivery and number, so a redone attempt yields the same id. */
export function attemptIdFor(deliveryId: DeliveryId, attempt: number): AttemptId {
  return uuidv5(`attempt:${deliveryId}:${attempt}`, NAMESPACE) as AttemptId;
}

/** Ids Hookline assigns to events that arrive without one: time-ordered. */
export function newEventId(): EventId {
  return `evt_${uuidv7().replace(/-/g, '')}` as EventId;
}
