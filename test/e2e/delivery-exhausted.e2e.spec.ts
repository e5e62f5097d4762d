import { waitFor } from '@hookline/infra';
import type { ReceivedRequest } from '@hookline/testing';
import { stackForSuite } from '../harness/test-stack';

interface Delivery {
  id: string;
  endpointId: string;
  eventId: string;
  status: string;
}

interface Alert {
  id: string;
  type: string;
  tenantId: string;
  data: {
    endpoint: { id: string; url: string; description: string };
    delivery: { id: string; eventId: string; eventType: string; attempts: number; reason: string };
    alsoExhausted: number;
  };
}

/**
 * `delivery.exhausted` on the real pipeline. Endpoint A answers 500 to
 * everything with one retry after 1 s, and subscribes to alerts itself; B
 * subscribes to alerts and answers 200; C subscribes to alerts but answers 500
 * too, so its own deliveries of alerts die. With a 40 s window, four dead
 * deliveries of A make exactly one alert about A (to B and C, never to A), C's
 * dead alert deliveries make none, a fifth death after a kill -9 and restart
 * of the retry-scheduler makes none either (the window is in PostgreSQL), and
 * the first death after the window makes the next alert, counting the four in
 * between.
 */
describe('delivery.exhausted alerts', () => {
  const WINDOW_MS = 40_000;
  const TENANT = 'ops';
  const SETTLE_MS = 2_500;
  const { stack, receiver } = stackForSuite({
    env: { HOOKLINE_EXHAUSTED_EVENT_INTERVAL: `${WINDOW_MS / 1000}s` },
    respond: (req, res) => void res.writeHead(req.path === '/b' ? 200 : 500).end(req.path === '/b' ? 'ok' : 'down'),
  });

  const create = async (path: string, eventTypes: string[], retryPolicy?: unknown) => {
    const res = await stack.api<{ id: string; url: string }>('admin-api', 'POST', `/v1/tenants/${TENANT}/endpoints`, {
      url: `${receiver.url}${path}`,
      description: `endpoint ${path}`,
      eventTypes,
      ...(retryPolicy ? { retryPolicy } : {}),
    });
    expect(res.status).toBe(201);
    return res.body;
  };
  const send = async (n: number) => {
    const res = await stack.api<{ id: string }>('ingest', 'POST', '/v1/events', { tenantId: TENANT, type: 'invoice.paid', data: { n } });
    expect(res.status).toBe(202);
    return res.body.id;
  };
  const deliveriesOf = async (endpointId: string) =>
    (await stack.api<{ data: Delivery[] }>('admin-api', 'GET', `/v1/deliveries?tenantId=${TENANT}&endpointId=${endpointId}&limit=100`)).body.data;
  const waitForDead = (endpointId: string, count: number, what: string) =>
    waitFor(
      async () => {
        const deliveries = await deliveriesOf(endpointId);
        return deliveries.length === count && deliveries.every((d) => d.status === 'dead') ? deliveries : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 200, description: `${count} dead deliveries of ${what}` },
    );
  const alertsAt = (path: string) => receiver.requests.filter((r) => r.path === path && r.headers['x-hookline-event'] === 'delivery.exhausted');
  const alertOf = (r: ReceivedRequest) => JSON.parse(r.body) as Alert;
  const settle = () => new Promise((resolve) => setTimeout(resolve, SETTLE_MS));

  it('announces one delivery.exhausted per window about the failing endpoint, never to it, never about a dead alert, and not again after a restart', async () => {
    const a = await create('/a', ['invoice.*', 'delivery.exhausted'], { delays: ['1s'] });
    const b = await create('/b', ['delivery.exhausted']);
    const c = await create('/c', ['endpoint.*', 'delivery.exhausted'], { delays: ['1s'] });

    const firstEvents = [await send(1), await send(2), await send(3), await send(4)];
    await waitForDead(a.id, 4, 'A');
    // C's delivery of the one alert about A dies as well (two attempts), which must raise nothing.
    const [cDead] = await waitForDead(c.id, 1, 'C (its delivery of the alert)');
    await receiver.waitFor((r) => r.path === '/b', { what: 'the alert at B' });
    await settle();

    const [first, ...extra] = alertsAt('/b');
    expect(extra).toEqual([]);
    // Still inside the window, or the absence of a second alert would prove nothing.
    expect(Date.now() - first.receivedAt).toBeLessThan(WINDOW_MS);
    const alert = alertOf(first);
    expect(alert).toMatchObject({
      type: 'delivery.exhausted',
      tenantId: TENANT,
      data: {
        endpoint: { id: a.id, url: a.url, description: 'endpoint /a' },
        delivery: { eventType: 'invoice.paid', attempts: 2, reason: 'all 2 attempts failed' },
        alsoExhausted: 0,
      },
    });
    expect(firstEvents).toContain(alert.data.delivery.eventId);
    expect(first.headers['webhook-id']).toBe(alert.id);
    expect(cDead.eventId).toBe(alert.id);
    expect(alertsAt('/a')).toEqual([]);
    expect(receiver.requests.filter((r) => r.path === '/c').map((r) => r.headers['webhook-id'])).toEqual([alert.id, alert.id]);

    // The alert is logged like any other event: delivered to B and C, not to A.
    const logged = await stack.api<{ type: string; deliveries: Delivery[] }>(
      'admin-api',
      'GET',
      `/v1/events/${encodeURIComponent(alert.id)}?tenantId=${TENANT}`,
    );
    expect(logged.status).toBe(200);
    expect(logged.body.deliveries.map((d) => d.endpointId).sort()).toEqual([b.id, c.id].sort());

    // A crash and restart of the retry-scheduler forgets nothing: a death inside the window is still only counted.
    await stack.kill('retry-scheduler');
    await stack.startService('retry-scheduler');
    await send(5);
    await waitForDead(a.id, 5, 'A');
    await settle();
    expect(alertsAt('/b')).toHaveLength(1);
    expect(Date.now() - first.receivedAt).toBeLessThan(WINDOW_MS);

    // After the window, the next death is announced, counting the four left out.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, first.receivedAt + WINDOW_MS - Date.now())));
    const late = await send(6);
    await waitForDead(a.id, 6, 'A');
    await waitForDead(c.id, 2, 'C (its deliveries of both alerts)');
    await receiver.waitFor((r) => r.path === '/b', { count: 2, what: 'the second alert at B' });
    await settle();

    const alerts = alertsAt('/b').map(alertOf);
    expect(alerts).toHaveLength(2);
    expect(alerts[1]).toMatchObject({ data: { endpoint: { id: a.id }, delivery: { eventId: late }, alsoExhausted: 4 } });
    expect(alerts[1].id).not.toBe(alerts[0].id);
    expect(alertsAt('/a')).toEqual([]);
    // Nothing was ever announced about C, whose alert deliveries died.
    expect(alerts.filter((x) => x.data.endpoint.id !== a.id)).toEqual([]);
  }, 115_000);
});
