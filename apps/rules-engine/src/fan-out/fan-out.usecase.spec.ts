import { DeliveriesRequestedTopic, deliveryIdFor, type EndpointConfig, type TenantId } from '@hookline/contracts';
import type { OutgoingMessage } from '@hookline/kafka';
import { context } from '@hookline/telemetry';
import { anEndpointConfig, anEvent } from '@hookline/testing';
import { FanOut, type DeliveryRequests, type Subscribers } from './fan-out.usecase';

const endpoint = (id: string, tenantId: string, version = 1) => anEndpointConfig({ id, tenantId, version });
const event = (id: string, tenantId: string) => anEvent({ id, tenantId, data: { n: 1 } });

const A = endpoint('5b7c7a0e-8a3c-4d0e-9a53-1f6f2a4e9c11', 'acme', 3);
const B = endpoint('6c8d8b1f-9b4d-4e1f-8b64-2a7a3b5f0d22', 'acme');
const G = endpoint('7d9e9c2a-ac5e-4f2a-9c75-3b8b4c6a1e33', 'globex');

/** The endpoint directory as fan-out sees it: what is visible only after a sync. */
class FakeSubscribers implements Subscribers {
  readonly calls: string[] = [];
  private visible: EndpointConfig[] = [];
  constructor(private readonly afterSync: EndpointConfig[]) {}
  async syncToLatest(): Promise<void> {
    this.calls.push('sync');
    this.visible = this.afterSync;
  }
  subscribersOf({ tenantId }: { tenantId: TenantId }): EndpointConfig[] {
    this.calls.push(`subscribersOf ${tenantId}`);
    return this.visible.filter((e) => e.tenantId === tenantId);
  }
}

class RecordingRequests implements DeliveryRequests {
  readonly sent: OutgoingMessage<typeof DeliveriesRequestedTopic>[] = [];
  constructor(private readonly failWith?: Error) {}
  async send(topic: typeof DeliveriesRequestedTopic, messages: OutgoingMessage<typeof DeliveriesRequestedTopic>[]): Promise<void> {
    expect(topic).toBe(DeliveriesRequestedTopic);
    if (this.failWith) throw this.failWith;
    this.sent.push(...messages);
  }
}

const clock = { now: () => new Date('2026-11-22T10:00:05Z') };

describe(FanOut.name, () => {
  it("asks one delivery per subscribed endpoint of the event's tenant, with ids derived from event and endpoint", async () => {
    const requests = new RecordingRequests();
    const count = await new FanOut(new FakeSubscribers([A, B, G]), requests, clock).execute([{ event: event('evt_1', 'acme'), context: context.active() }]);
    expect(count).toBe(2);
    expect(requests.sent.map((m) => m.value)).toEqual(
      [A, B].map((e) => ({
        deliveryId: deliveryIdFor(e.tenantId, event('evt_1', 'acme').id, e.id),
        tenantId: 'acme',
        endpointId: e.id,
        endpointVersion: e.version,
        attempt: 1,
        reason: 'initial',
        requestedAt: '2026-11-22T10:00:05.000Z',
        event: event('evt_1', 'acme'),
      })),
    );
  });

  it('never routes an operational event to the endpoint it is about, and routes it to the other subscribers', async () => {
    const requests = new RecordingRequests();
    const about = (id: string) =>
      anEvent({ id: `op_${id}`, tenantId: 'acme', type: 'endpoint.disabled', data: { endpoint: { id, url: 'https://a.example', description: '' } } });
    const count = await new FanOut(new FakeSubscribers([A, B]), requests, clock).execute([
      { event: about(A.id), context: context.active() },
      { event: about(B.id), context: context.active() },
      // Any other event naming an endpoint in its data goes to every subscriber, that one included.
      { event: anEvent({ id: 'evt_2', tenantId: 'acme', data: { endpoint: { id: A.id } } }), context: context.active() },
    ]);
    expect(count).toBe(4);
    expect(requests.sent.map((m) => [m.value?.event.id, m.value?.endpointId])).toEqual([
      [`op_${A.id}`, B.id],
      [`op_${B.id}`, A.id],
      ['evt_2', A.id],
      ['evt_2', B.id],
    ]);
  });

  it('catches up with endpoint changes before routing (an endpoint saved before the event was accepted receives it)', async () => {
    const subscribers = new FakeSubscribers([A]);
    const requests = new RecordingRequests();
    await new FanOut(subscribers, requests, clock).execute([{ event: event('evt_2', 'acme'), context: context.active() }]);
    expect(subscribers.calls[0]).toBe('sync');
    expect(requests.sent).toHaveLength(1);
  });

  it('produces the same deliveries when a batch is redone', async () => {
    const batch = [{ event: event('evt_3', 'acme'), context: context.active() }];
    const [first, second] = [new RecordingRequests(), new RecordingRequests()];
    await new FanOut(new FakeSubscribers([A, B]), first, clock).execute(batch);
    await new FanOut(new FakeSubscribers([A, B]), second, { now: () => new Date('2026-11-22T11:00:00Z') }).execute(batch);
    expect(second.sent.map((m) => m.value?.deliveryId)).toEqual(first.sent.map((m) => m.value?.deliveryId));
  });

  it('asks nothing for an event no endpoint subscribes to', async () => {
    const requests = new RecordingRequests();
    expect(await new FanOut(new FakeSubscribers([G]), requests, clock).execute([{ event: event('evt_4', 'acme'), context: context.active() }])).toBe(0);
    expect(requests.sent).toEqual([]);
  });

  it('fails when the requests cannot be produced, so the batch is not committed', async () => {
    const fanOut = new FanOut(new FakeSubscribers([A]), new RecordingRequests(new Error('broker down')), clock);
    await expect(fanOut.execute([{ event: event('evt_5', 'acme'), context: context.active() }])).rejects.toThrow('broker down');
  });
});
