import { waitFor } from '@hookline/infra';
import type { ReceivedRequest } from '@hookline/testing';
import { Client } from 'pg';
import { stackForSuite } from '../harness/test-stack';

interface EndpointView {
  id: string;
  state: { state: string; cause: string | null; reason: string | null };
}
interface StateEvent {
  id: string;
  type: string;
  data: { endpoint: { id: string }; state: string; previousState: string; cause: string; reason: string };
}
interface Delivery {
  id: string;
  endpointId: string;
  status: string;
  attempts: { attempt: number; response: { status: number } | null; failure: { kind: string } | null }[];
}

/**
 * Endpoint states on the real pipeline: a `410 Gone` disables an endpoint and
 * announces it to a subscriber (never to the endpoint itself); a run of failed
 * deliveries disables one, a success in between starting the count over; a
 * paused endpoint holds a 1,000-event burst durably and gets all of it, in
 * order and on first attempts, once resumed. One request at a time per
 * endpoint, so arrival order is the order of sending.
 */
describe('endpoint states', () => {
  const T = 'states';
  const { stack, receiver } = stackForSuite({
    env: { DISPATCHER_ENDPOINT_CONCURRENCY: '1' },
    respond: (req, res) => {
      if (req.path === '/gone') return void res.writeHead(410).end('gone');
      if (req.path === '/flaky') return void res.writeHead(req.headers['x-hookline-event'] === 'flaky.ok' ? 200 : 500).end();
      res.writeHead(200).end('ok');
    },
  });

  const create = async (path: string, body: Record<string, unknown>) => {
    const res = await stack.api<EndpointView>('admin-api', 'POST', `/v1/tenants/${T}/endpoints`, { url: `${receiver.url}${path}`, ...body });
    expect(res.status).toBe(201);
    return res.body;
  };
  const getEndpoint = async (id: string) => (await stack.api<EndpointView>('admin-api', 'GET', `/v1/tenants/${T}/endpoints/${id}`)).body;
  const send = async (type: string, id: string, data: Record<string, unknown> = {}) =>
    expect((await stack.api('ingest', 'POST', '/v1/events', { tenantId: T, type, id, data })).status).toBe(202);
  const to = (path: string) => (r: ReceivedRequest) => r.path === path;
  const stateEvents = (about: string) =>
    receiver.requests
      .filter(to('/alerts'))
      .map((r) => JSON.parse(r.body) as StateEvent)
      .filter((e) => e.data.endpoint.id === about);
  const finalDelivery = (eventId: string, endpointId: string) =>
    waitFor(
      async () => {
        const { body } = await stack.api<{ data: Delivery[] }>('admin-api', 'GET', `/v1/deliveries?tenantId=${T}&eventId=${eventId}&endpointId=${endpointId}`);
        const d = body.data[0];
        return d && (d.status === 'dead' || d.status === 'succeeded') ? d : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 200, description: `the delivery of ${eventId} to end` },
    );

  // The subscriber of every endpoint.* event.
  beforeAll(() => create('/alerts', { eventTypes: ['endpoint.*'] }));

  it('disables an endpoint that answers 410 Gone, announces it to a subscriber but not to it, and sends it nothing more', async () => {
    // It subscribes to endpoint.* too: the event about it must still never reach it.
    const gone = await create('/gone', { eventTypes: ['gone.*', 'endpoint.*'] });
    const witness = await create('/witness', { eventTypes: ['gone.*'] });
    await send('gone.first', 'evt_gone_1');

    await receiver.waitUntil(() => stateEvents(gone.id).length >= 1, { what: 'endpoint.disabled at the subscriber' });
    expect(await getEndpoint(gone.id)).toMatchObject({ state: { state: 'disabled', cause: 'gone', reason: 'the endpoint answered 410 Gone' } });

    await send('gone.second', 'evt_gone_2');
    await receiver.waitFor(to('/witness'), { count: 2, what: 'both events at the witness' });
    const second = await finalDelivery('evt_gone_2', witness.id);
    expect(second.status).toBe('succeeded');
    // Let anything late arrive, then look at everything.
    await new Promise((r) => setTimeout(r, 1500));
    expect(receiver.requests.filter(to('/gone')).map((r) => r.headers['x-hookline-event'])).toEqual(['gone.first']);
    const events = stateEvents(gone.id);
    expect(events.map((e) => [e.type, e.data.previousState, e.data.state, e.data.cause])).toEqual([['endpoint.disabled', 'enabled', 'disabled', 'gone']]);
    const { body: log } = await stack.api<{ deliveries: { endpointId: string }[] }>('admin-api', 'GET', `/v1/events/evt_gone_2?tenantId=${T}`);
    expect(log.deliveries.map((d) => d.endpointId)).toEqual([witness.id]);
  }, 60_000);

  it('disables an endpoint after its threshold of failed deliveries in a row; a success in between starts the count over', async () => {
    // One attempt per delivery: each failed request is an exhausted delivery.
    const flaky = await create('/flaky', {
      eventTypes: ['flaky.*'],
      disableAfterFailures: 3,
      retryPolicy: { initial: '1s', factor: 1, maxDelay: '1s', attempts: 1 },
    });
    const outcomes: string[] = [];
    for (const [i, type] of ['flaky.fail', 'flaky.fail', 'flaky.ok', 'flaky.fail', 'flaky.fail'].entries()) {
      await send(type, `evt_flaky_${i}`);
      outcomes.push((await finalDelivery(`evt_flaky_${i}`, flaky.id)).status);
    }
    expect(outcomes).toEqual(['dead', 'dead', 'succeeded', 'dead', 'dead']);
    // Four failures in five, but never three in a row: it stays enabled (a disable takes well under a second to apply).
    await new Promise((r) => setTimeout(r, 3000));
    expect((await getEndpoint(flaky.id)).state.state).toBe('enabled');

    await send('flaky.fail', 'evt_flaky_5');
    await waitFor(async () => ((await getEndpoint(flaky.id)).state.state === 'disabled' ? true : undefined), {
      timeoutMs: 20_000,
      intervalMs: 200,
      description: 'the endpoint to be disabled',
    });
    expect(await getEndpoint(flaky.id)).toMatchObject({ state: { cause: 'failure_threshold', reason: '3 deliveries in a row failed' } });
    await receiver.waitUntil(() => stateEvents(flaky.id).length >= 1, { what: 'endpoint.disabled at the subscriber' });
    await send('flaky.ok', 'evt_flaky_6');
    const ended = await finalDelivery('evt_flaky_6', flaky.id).catch(() => undefined);
    // Disabled: no delivery is created for it (or, had one been routed before, it ends without a request).
    expect(ended === undefined || ended.attempts.every((a) => a.response === null)).toBe(true);
    expect(receiver.requests.filter(to('/flaky'))).toHaveLength(6);
    expect(stateEvents(flaky.id).map((e) => [e.type, e.data.cause])).toEqual([['endpoint.disabled', 'failure_threshold']]);
  }, 90_000);

  it('holds a 1,000-event burst for a paused endpoint and, resumed, delivers all of it in order, each on its first attempt', async () => {
    const EVENTS = 1000;
    const ordered = await create('/ordered', { eventTypes: ['burst.*'] });
    expect((await stack.api('admin-api', 'POST', `/v1/tenants/${T}/endpoints/${ordered.id}/pause`, { reason: 'burst test' })).status).toBe(200);
    const ids = Array.from({ length: EVENTS }, (_, i) => `evt_burst_${String(i).padStart(4, '0')}`);
    for (let start = 0; start < EVENTS; start += 500) {
      const events = ids.slice(start, start + 500).map((id) => ({ tenantId: T, type: 'burst.tick', id, data: {} }));
      expect((await stack.api('ingest', 'POST', '/v1/events/batch', { events })).status).toBe(202);
    }

    const db = new Client({ connectionString: stack.databaseUrl });
    await db.connect();
    try {
      const held = async () =>
        Number((await db.query(`SELECT count(*) AS n FROM retry_schedule WHERE endpoint_id = $1 AND due_at IS NULL`, [ordered.id])).rows[0].n);
      await waitFor(async () => ((await held()) === EVENTS ? true : undefined), { timeoutMs: 60_000, intervalMs: 250, description: `${EVENTS} held rows` });
      // Held for a while: nothing reaches the endpoint, nothing is lost.
      await new Promise((r) => setTimeout(r, 2000));
      expect(receiver.requests.filter(to('/ordered'))).toEqual([]);
      expect(await held()).toBe(EVENTS);

      expect((await stack.api('admin-api', 'POST', `/v1/tenants/${T}/endpoints/${ordered.id}/resume`)).status).toBe(200);
      await receiver.waitUntil((reqs) => reqs.filter(to('/ordered')).length >= EVENTS, { timeoutMs: 60_000, what: `${EVENTS} released deliveries` });
      await new Promise((r) => setTimeout(r, 1500));
      const arrived = receiver.requests.filter(to('/ordered')).map((r) => r.headers['webhook-id']);
      expect(arrived).toEqual(ids);
      expect(await held()).toBe(0);
    } finally {
      await db.end();
    }
    const stats = await waitFor(
      async () => {
        const { body } = await stack.api<{ lastHour: { attempts: { total: number; failed: number }; deliveries: { total: number; succeeded: number } } }>(
          'admin-api',
          'GET',
          `/v1/tenants/${T}/endpoints/${ordered.id}/stats`,
        );
        return body.lastHour.deliveries.succeeded === EVENTS ? body.lastHour : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 500, description: 'every delivery succeeded in the log' },
    );
    // One attempt per delivery: the hold cost no retry and nothing failed.
    expect(stats.attempts).toMatchObject({ total: EVENTS, failed: 0 });
    expect(stats.deliveries.total).toBe(EVENTS);
  }, 150_000);
});
