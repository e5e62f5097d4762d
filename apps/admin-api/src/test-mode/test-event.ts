import { deliveryIdFor, type DeliveryId, type EndpointId, type EventEnvelope, type EventId, type TenantId } from '@hookline/contracts';
import { v7 as uuidv7 } from 'uuid';

/** What preview and test send are asked to deliver: the event's type and data (given, or the type's example in the catalog). */
export interface SampleEvent {
  type: string;
  data: Record<string, unknown>;
}

/**
 * A test send's event id: `test_` and a time-ordered UUID. Ingest assigns
 * `evt_…` ids, so the only way to meet one is a producer choosing such an id
 * itself, and the random part makes even that a guess.
 */
export const newTestEventId = (): EventId => `test_${uuidv7().replace(/-/g, '')}` as EventId;

/** The event as the dispatcher would hold it, and its delivery id to the endpoint (derived like every delivery id). */
export function eventFor(
  endpoint: { tenantId: TenantId; id: EndpointId },
  sample: SampleEvent,
  id: EventId,
  occurredAt: Date,
  receivedAt: Date,
): { event: EventEnvelope; deliveryId: DeliveryId } {
  const event: EventEnvelope = {
    id,
    tenantId: endpoint.tenantId,
    type: sample.type,
    data: sample.data,
    occurredAt: occurredAt.toISOString(),
    receivedAt: receivedAt.toISOString(),
  };
  return { event, deliveryId: deliveryIdFor(endpoint.tenantId, id, endpoint.id) };
}
