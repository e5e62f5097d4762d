import type { DeliveryExhaustedEventData, EndpointStateEventData } from './operational-events';
import type { OperationalEventType } from './operational-event-types';

/** A delivery body as a subscriber receives it (`deliveryBody`). */
export interface OperationalEventExample<D> {
  id: string;
  type: OperationalEventType;
  tenantId: string;
  occurredAt: string;
  data: D;
}

const ENDPOINT = { id: '5b7c7a0e-8a3c-4d0e-9a53-1f6f2a4e9c11', url: 'https://billing.example.com/hooks', description: 'billing service' };

/**
 * One example of each operational event, as delivered. The README's
 * "Operational events" section shows these very values, and a contract test
 * holds both to the payload schemas and to each other.
 */
export const OPERATIONAL_EVENT_EXAMPLES = {
  'endpoint.disabled': {
    id: 'endpoint.disabled:5b7c7a0e-8a3c-4d0e-9a53-1f6f2a4e9c11:7',
    type: 'endpoint.disabled',
    tenantId: 'acme',
    occurredAt: '2026-11-22T10:04:12.345Z',
    data: {
      endpoint: ENDPOINT,
      state: 'disabled',
      previousState: 'enabled',
      cause: 'failure_threshold',
      actor: null,
      reason: '10 deliveries in a row failed',
      changedAt: '2026-11-22T10:04:12.345Z',
    },
  } satisfies OperationalEventExample<EndpointStateEventData>,
  'endpoint.enabled': {
    id: 'endpoint.enabled:5b7c7a0e-8a3c-4d0e-9a53-1f6f2a4e9c11:8',
    type: 'endpoint.enabled',
    tenantId: 'acme',
    occurredAt: '2026-11-22T11:30:00.000Z',
    data: {
      endpoint: ENDPOINT,
      state: 'enabled',
      previousState: 'disabled',
      cause: 'operator',
      actor: 'ops-console',
      reason: 'receiver fixed',
      changedAt: '2026-11-22T11:30:00.000Z',
    },
  } satisfies OperationalEventExample<EndpointStateEventData>,
  'endpoint.paused': {
    id: 'endpoint.paused:5b7c7a0e-8a3c-4d0e-9a53-1f6f2a4e9c11:9',
    type: 'endpoint.paused',
    tenantId: 'acme',
    occurredAt: '2026-11-22T12:00:00.000Z',
    data: {
      endpoint: ENDPOINT,
      state: 'paused',
      previousState: 'enabled',
      cause: 'operator',
      actor: 'ops-console',
      reason: 'receiver maintenance',
      changedAt: '2026-11-22T12:00:00.000Z',
    },
  } satisfies OperationalEventExample<EndpointStateEventData>,
  'endpoint.resumed': {
    id: 'endpoint.resumed:5b7c7a0e-8a3c-4d0e-9a53-1f6f2a4e9c11:10',
    type: 'endpoint.resumed',
    tenantId: 'acme',
    occurredAt: '2026-11-22T12:45:00.000Z',
    data: {
      endpoint: ENDPOINT,
      state: 'enabled',
      previousState: 'paused',
      cause: 'operator',
      actor: 'ops-console',
      reason: 'maintenance over',
      changedAt: '2026-11-22T12:45:00.000Z',
    },
  } satisfies OperationalEventExample<EndpointStateEventData>,
  'delivery.exhausted': {
    id: 'delivery.exhausted:5b7c7a0e-8a3c-4d0e-9a53-1f6f2a4e9c11:1795341600000',
    type: 'delivery.exhausted',
    tenantId: 'acme',
    occurredAt: '2026-11-22T10:00:00.000Z',
    data: {
      endpoint: ENDPOINT,
      delivery: {
        id: '0d2f4c7e-1111-4222-8333-000000000042',
        eventId: 'inv_42:paid',
        eventType: 'invoice.paid',
        attempts: 11,
        reason: 'all 11 attempts failed',
        exhaustedAt: '2026-11-22T10:00:00.000Z',
      },
      alsoExhausted: 17,
    },
  } satisfies OperationalEventExample<DeliveryExhaustedEventData>,
} as const;
