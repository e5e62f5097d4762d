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
    id: 'hookline_endpoint.disabled_5b7c7a0e-8a3c-4d0e-9a53-1f6f2a4e9c11_7',
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
    id: 'hookline_endpoint.enabled_5b7c7a0e-8a3c-4d0e-9a53-1f6f2a4e9c11_8',
    type: 'endpoint.enabled',
    tenantId: 'acme',
    occurredAt: '2026-11-22T11:30:00.000Z',
    data: {
      endpoint: ENDPOINT,
      state: 'enabled',
      previousState: 'disabled',
      cause: 'operator',
      actor: '3f0d9c52-7a1e-4b8e-9f6a-2c4d8e1b7a90',
      reason: 'receiver fixed',
      changedAt: '2026-11-22T11:30:00.000Z',
    },
  } satisfies OperationalEventExample<EndpointStateEventData>,
  'endpoint.paused': {
    id: 'hookline_endpoint.paused_5b7c7a0e-8a3c-4d0e-9a53-1f6f2a4e9c11_9',
    type: 'endpoint.paused',
    tenantId: 'acme',
    occurredAt: '2026-11-22T12:00:00.000Z',
    data: {
      endpoint: ENDPOINT,
      state: 'paused',
      previousState: 'enabled',
      cause: 'operator',
      actor: '3f0d9c52-7a1e-4b8e-9f6a-2c4d8e1b7a90',
      reason: 'receiver maintenance',
      changedAt: '2026-11-22T12:00:00.000Z',
    },
  } satisfies OperationalEventExample<EndpointStateEventData>,
  'endpoint.resumed': {
    id: 'hookline_endpoint.resumed_5b7c7a0e-8a3c-4d0e-9a53-1f6f2a4e9c11_10',
    type: 'endpoint.resumed',
    tenantId: 'acme',
    occurredAt: '2026-11-22T12:45:00.000Z',
    data: {
      endpoint: ENDPOINT,
      state: 'enabled',
      previousState: 'paused',
      cause: 'operator',
      actor: '3f0d9c52-7a1e-4b8e-9f6a-2c4d8e1b7a90',
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
