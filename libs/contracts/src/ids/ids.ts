import { v5 as uuidv5, v7 as uuidv7 } from 'uuid';

// Fixed namespace: changing it would change every derived id.
const NAMESPACE = '8f3c8a52-2f7e-4e5b-9c55-6f1d0a8e7b41';

/** A delivery's id derives from its event and endpoint, so a redone fan-out yields the same id. */
export function deliveryIdFor(tenantId: string, eventId: string, endpointId: string): string {
  return uuidv5(`delivery:${tenantId}:${eventId}:${endpointId}`, NAMESPACE);
}

/** An attempt's id derives from its delivery and number, so a redone attempt yields the same id. */
export function attemptIdFor(deliveryId: string, attempt: number): string {
  return uuidv5(`attempt:${deliveryId}:${attempt}`, NAMESPACE);
}

/** Ids Hookline assigns to events that arrive without one: time-ordered. */
export function newEventId(): string {
  return `evt_${uuidv7().replace(/-/g, '')}`;
}
