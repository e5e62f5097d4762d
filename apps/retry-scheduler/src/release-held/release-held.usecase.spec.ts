import { DeliveriesRequestedTopic, type DeliveryRequest, type EndpointId } from '@hookline/contracts';
import type { OutgoingMessage } from '@hookline/kafka';
import { aDeliveryRequest } from '@hookline/testing';
import type { EndpointStateFacts } from '../endpoints/endpoint.directory';
import type { HeldRequest } from '../schedule-retry/retry-schedule.repository';
import { ReleaseHeld, type DeliveryRequests, type EndpointStates, type HeldDeliveries } from './release-held.usecase';

const NOW = new Date('2026-11-22T10:00:00Z');
const A = '5b7c7a0e-8a3c-4d0e-9a53-1f6f2a4e9c11' as EndpointId;
const B = '6c8d8b1f-9b4d-4e1f-8b64-2a7a3b5f0d22' as EndpointId;

/** Held rows in creation order (the order the database returns them in), per endpoint. */
class FakeHeld implements HeldDeliveries {
  constructor(public rows: HeldRequest[]) {}
  async heldEndpoints(): Promise<{ endpointId: EndpointId; lowestHeldVersion: number }[]> {
    const lowest = new Map<EndpointId, number>();
    for (const r of this.rows) lowest.set(r.request.endpointId, Math.min(lowest.get(r.request.endpointId) ?? Infinity, r.heldAtVersion));
    return [...lowest].map(([endpointId, lowestHeldVersion]) => ({ endpointId, lowestHeldVersion }));
  }
  async release(endpointId: EndpointId, upTo: number, limit: number, issue: (held: HeldRequest[]) => Promise<void>): Promise<number> {
    const page = this.rows.filter((r) => r.request.endpointId === endpointId && r.heldAtVersion <= upTo).slice(0, limit);
    await issue(page);
    this.rows = this.rows.filter((r) => !page.includes(r));
    return page.length;
  }
}

class Endpoints implements EndpointStates {
  synced = 0;
  constructor(public states: Map<EndpointId, EndpointStateFacts>) {}
  async syncToLatest(): Promise<void> {
    this.synced += 1;
  }
  get(id: EndpointId): EndpointStateFacts | undefined {
    return this.states.get(id);
  }
}

class Recording implements DeliveryRequests {
  readonly sent: DeliveryRequest[] = [];
  readonly headers: (Record<string, string> | undefined)[] = [];
  async send(_t: typeof DeliveriesRequestedTopic, messages: OutgoingMessage<typeof DeliveriesRequestedTopic>[]): Promise<void> {
    this.sent.push(...messages.map((m) => m.value as DeliveryRequest));
    this.headers.push(...messages.map((m) => m.headers));
  }
}

const held = (n: number, endpointId: EndpointId, heldAtVersion: number, attempt = 1): HeldRequest => ({
  request: aDeliveryRequest(n, { endpointId, attempt, endpointVersion: 1 }),
  heldAtVersion,
  traceHeaders: {},
  holdOrder: 10 + n,
});
const state = (s: EndpointStateFacts['state'], version: number): EndpointStateFacts => ({ state: s, version, stateVersion: version, disableAfterFailures: 10 });

describe(ReleaseHeld.name, () => {
  it("releases a resumed endpoint's requests in creation order, a page per run, with attempt numbers unchanged; a paused one's stay", async () => {
    const rows = [held(1, A, 2), held(2, B, 2), held(3, A, 2, 3), held(4, A, 2), held(5, A, 2)];
    const store = new FakeHeld(rows);
    const endpoints = new Endpoints(
      new Map([
        [A, state('enabled', 3)],
        [B, state('paused', 2)],
      ]),
    );
    const requests = new Recording();
    const release = new ReleaseHeld(store, endpoints, requests, { now: () => NOW }, 2);
    expect(await release.execute()).toBe(2);
    expect(await release.execute()).toBe(2);
    expect(requests.sent.map((r) => [r.event.id, r.attempt])).toEqual([
      ['evt_1', 1],
      ['evt_3', 3],
      ['evt_4', 1],
      ['evt_5', 1],
    ]);
    // Sent at the resumed version at least, so the dispatcher catches up with the resume before looking at them.
    expect(requests.sent.every((r) => r.endpointVersion === 3 && r.requestedAt === NOW.toISOString())).toBe(true);
    // Each names its page (one per run) and its place in the hold, for a dispatcher that must hand it back.
    expect(requests.sent.map((r) => r.release?.order)).toEqual([11, 13, 14, 15]);
    // Never a delivery's first request: log-store skips it unread.
    expect(requests.headers.every((h) => h?.['hookline-reissued'] === 'true')).toBe(true);
    expect(new Set(requests.sent.map((r) => r.release?.page)).size).toBe(2);
    expect(store.rows.map((r) => r.request.event.id)).toEqual(['evt_2']);
    expect(endpoints.synced).toBe(2);
  });

  it('waits while the state it knows is older than the hold (its view lags the dispatcher), then releases', async () => {
    const store = new FakeHeld([held(1, A, 5)]);
    const endpoints = new Endpoints(new Map([[A, state('enabled', 4)]]));
    const release = new ReleaseHeld(store, endpoints, new Recording(), { now: () => NOW }, 10);
    expect(await release.execute()).toBe(0);
    endpoints.states.set(A, state('enabled', 6));
    expect(await release.execute()).toBe(1);
  });

  it('releases the requests of a disabled or deleted endpoint too, for the dispatcher to end them', async () => {
    const store = new FakeHeld([held(1, A, 2), held(2, B, 2)]);
    const requests = new Recording();
    await new ReleaseHeld(store, new Endpoints(new Map([[A, state('disabled', 3)]])), requests, { now: () => NOW }, 10).execute();
    expect(requests.sent.map((r) => r.event.id).sort()).toEqual(['evt_1', 'evt_2']);
  });
});
