import {
  DeliveriesRequestedTopic,
  type DeliveryId,
  type DeliveryRequest,
  type EndpointId,
  type EventEnvelope,
  type EventId,
  type TenantId,
} from '@hookline/contracts';
import type { OutgoingMessage } from '@hookline/kafka';
import { ApiError } from '@hookline/service-kit';
import type { ReplayableDelivery, ReplayTarget } from '../replay.ports';
import { ReplayDelivery } from './replay-delivery.usecase';

const TENANT = 'acme' as TenantId;
const ENDPOINT = '5b7c7a0e-8a3c-4d0e-9a53-1f6f2a4e9c11' as EndpointId;
const ID = '0d2f4c7e-1111-4222-8333-000000000001' as DeliveryId;
const NOW = new Date('2026-11-23T09:00:00.000Z');
const event: EventEnvelope = {
  id: 'evt_1' as EventId,
  tenantId: TENANT,
  type: 'invoice.paid',
  data: { amount: 1 },
  occurredAt: '2026-11-22T10:00:00.000Z',
  receivedAt: '2026-11-22T10:00:01.000Z',
};

function setup(delivery: Partial<ReplayableDelivery> = {}, endpoint: ReplayTarget | null = { id: ENDPOINT, version: 4, enabled: true }) {
  const row: ReplayableDelivery = {
    id: ID,
    tenantId: TENANT,
    endpointId: ENDPOINT,
    eventId: 'evt_1',
    status: 'dead',
    attemptCount: 11,
    mode: 'live',
    createdAt: new Date(event.receivedAt),
    ...delivery,
  };
  const sent: DeliveryRequest[] = [];
  const useCase = new ReplayDelivery(
    {
      findDelivery: async (id, tenantId) => (id === row.id && (!tenantId || tenantId === row.tenantId) ? row : null),
      findEvents: async () => new Map([['evt_1', event]]),
    },
    { findLive: async () => endpoint },
    {
      send: async (_topic: typeof DeliveriesRequestedTopic, messages: OutgoingMessage<typeof DeliveriesRequestedTopic>[]) =>
        void sent.push(...messages.map((m) => m.value as DeliveryRequest)),
    },
    { now: () => NOW },
  );
  return { useCase, sent };
}

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (err: ApiError) => ({ status: err.status, code: err.code }),
  );

describe(ReplayDelivery.name, () => {
  it('publishes attempt 12 of a delivery dead after 11, as a chain of its own naming who asked', async () => {
    const { useCase, sent } = setup();
    expect(await useCase.execute({ deliveryId: ID, by: 'key_ops' })).toMatchObject({ attempt: 12 });
    expect(sent).toEqual([
      {
        deliveryId: ID,
        tenantId: TENANT,
        endpointId: ENDPOINT,
        endpointVersion: 4,
        attempt: 12,
        chainStart: 12,
        reason: 'replay',
        requestedAt: NOW.toISOString(),
        replay: { by: 'key_ops', at: NOW.toISOString() },
        event,
      },
    ]);
  });

  it('replays a test delivery as a test', async () => {
    const { useCase, sent } = setup({ mode: 'test', attemptCount: 1 });
    await useCase.execute({ deliveryId: ID, by: 'key_ops' });
    expect(sent[0]).toMatchObject({ mode: 'test', attempt: 2 });
  });

  it.each([
    ['a pending delivery', { status: 'pending' }, undefined, 'delivery_in_progress'],
    ['a failing delivery', { status: 'failing' }, undefined, 'delivery_in_progress'],
    ['a deleted endpoint', {}, null, 'endpoint_deleted'],
    ['a disabled endpoint', {}, { id: ENDPOINT, version: 4, enabled: false }, 'endpoint_disabled'],
  ])('refuses %s with a 409, publishing nothing', async (_name, delivery, endpoint, code) => {
    const { useCase, sent } = setup(delivery, endpoint === undefined ? undefined : endpoint);
    expect(await refusal(useCase.execute({ deliveryId: ID, by: 'key_ops' }))).toEqual({ status: 409, code });
    expect(sent).toEqual([]);
  });

  it("answers 404 for another tenant's delivery", async () => {
    const { useCase } = setup();
    expect(await refusal(useCase.execute({ deliveryId: ID, tenantId: 'other' as TenantId, by: 'key_ops' }))).toEqual({ status: 404, code: 'not_found' });
  });
});
