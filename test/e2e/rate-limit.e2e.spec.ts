import type { ServerResponse } from 'node:http';
import type { ReceivedRequest } from '@hookline/testing';
import { stackForSuite } from '../harness/test-stack';

const RATE = 50; // per second, burst 50 (one second's worth, the default)
const EVENTS = 650; // to the limited endpoint: its burst, then 600 at 50/s: 12 s
const CAPPED_EVENTS = 30;
const MAX_IN_FLIGHT = 2;
const HOLD_MS = 250; // per request to the capped endpoint
const TENANT = 'paced';

/** Answers at once, except the capped endpoint's requests, held HOLD_MS each; counts what is in flight there. */
class Meter {
  inFlight = 0;
  maxInFlight = 0;
  respond = (req: ReceivedRequest, res: ServerResponse): void => {
    if (req.path !== '/capped') return void res.writeHead(200).end('ok');
    this.maxInFlight = Math.max(this.maxInFlight, ++this.inFlight);
    setTimeout(() => {
      this.inFlight--;
      res.writeHead(200).end('ok');
    }, HOLD_MS);
  };
}

describe('per-endpoint rateLimit and maxInFlight with two dispatchers', () => {
  const meter = new Meter();
  const { stack, receiver } = stackForSuite({ instances: { dispatcher: 2 }, respond: meter.respond });

  const createEndpoint = async (path: string, eventTypes: string[], limits: Record<string, unknown> = {}) => {
    const created = await stack.api<{ id: string }>('admin-api', 'POST', `/v1/tenants/${TENANT}/endpoints`, {
      url: `${receiver.url}${path}`,
      eventTypes,
      ...limits,
    });
    expect(created.status).toBe(201);
    return created.body.id;
  };
  const send = async (type: string, ids: string[]) => {
    for (let i = 0; i < ids.length; i += 500) {
      const events = ids.slice(i, i + 500).map((id) => ({ tenantId: TENANT, type, id, data: { id } }));
      expect((await stack.api('ingest', 'POST', '/v1/events/batch', { events })).status).toBe(202);
    }
  };
  /** Each event of `ids` arrived at `path` exactly once: the full set, nothing else, no repeat. */
  const expectEach = (requests: readonly ReceivedRequest[], path: string, ids: string[]) => {
    const seen = requests.filter((r) => r.path === path).map((r) => r.headers['webhook-id']);
    expect([...seen].sort()).toEqual([...ids].sort());
  };
  const settled = async (endpointId: string, total: number) => {
    for (const deadline = Date.now() + 20_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 500))) {
      const stats = await stack.api<{ lastHour: { attempts: { total: number; failed: number }; deliveries: { total: number; succeeded: number } } }>(
        'admin-api',
        'GET',
        `/v1/tenants/${TENANT}/endpoints/${endpointId}/stats`,
      );
      if (stats.body.lastHour.deliveries.succeeded >= total) return stats.body.lastHour;
    }
    throw new Error(`the delivery log did not show ${total} succeeded deliveries of ${endpointId} within 20 s`);
  };
  const deferredForRate = async () => {
    let total = 0;
    for (let i = 0; i < stack.instances.dispatcher; i++) {
      const metrics = await (await fetch(`${stack.url('dispatcher', i)}/metrics`)).text();
      total += Number(/hookline_deliveries_deferred_total\{reason="rate_limit"\} (\d+)/.exec(metrics)?.[1] ?? 0);
    }
    return total;
  };

  it('paces the limited endpoint at its rate within 10 %, every delivery once and none failed, while one without a limit is not slowed', async () => {
    const limited = await createEndpoint('/limited', ['burst.*'], { rateLimit: { perSecond: RATE } });
    const free = await createEndpoint('/free', ['burst.*']);
    const ids = Array.from({ length: EVENTS }, (_, i) => `evt_burst_${i}`);
    const sentAt = Date.now();
    await send('burst.created', ids);

    const all = await receiver.waitUntil((reqs) => new Set(reqs.filter((r) => r.path === '/limited').map((r) => r.headers['webhook-id'])).size >= EVENTS, {
      timeoutMs: 60_000,
      what: `all ${EVENTS} deliveries to the limited endpoint`,
    });
    // A late repeat would come within a deferral's delay: give it the time to show, then check the whole set.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expectEach(receiver.requests, '/limited', ids);
    expectEach(receiver.requests, '/free', ids);

    // The steady rate, after the burst allowance: from 1 s after the first arrival (by then the burst and what the bucket
    // refilled while it went out are spent, and requests queue for each token), about 600 arrivals over 11 s.
    const limitedAt = all.filter((r) => r.path === '/limited').map((r) => r.receivedAt);
    const paced = limitedAt.filter((at) => at >= limitedAt[0] + 1_000);
    const windowS = (paced[paced.length - 1] - paced[0]) / 1000;
    const rate = (paced.length - 1) / windowS;
    expect(windowS).toBeGreaterThanOrEqual(10);
    expect(Math.abs(rate - RATE) / RATE).toBeLessThanOrEqual(0.1);
    // The bucket's own bound: requests started within any second are at most its burst and that second's tokens (100).
    // Arrivals are starts shifted by a delay that varies (sockets, a busy machine): 0.5 s of it allows 25 more. Two
    // dispatchers each pacing the endpoint with a bucket of their own would show up to twice as many (200).
    const busiest = Math.max(...limitedAt.map((t, i) => limitedAt.slice(i).filter((u) => u - t < 1_000).length));
    expect(busiest).toBeLessThanOrEqual(RATE + RATE * 1.5);

    // The endpoint without a limit got the same burst as fast as the pipeline goes (on a busy 2-core machine, 3-4 s for
    // 650): held to the limited one's pace, its p95 would be near the limited drain time (12 s).
    const freeLatency = all
      .filter((r) => r.path === '/free')
      .map((r) => r.receivedAt - sentAt)
      .sort((a, b) => a - b);
    const p95 = freeLatency[Math.ceil(0.95 * freeLatency.length) - 1];
    const drainMs = limitedAt[limitedAt.length - 1] - sentAt;
    expect(freeLatency).toHaveLength(EVENTS);
    expect(p95).toBeLessThan(drainMs / 2);

    // Past the wait bound, requests were deferred to the retry-scheduler for the rate (and came back): none failed.
    expect(await deferredForRate()).toBeGreaterThan(0);
    for (const endpointId of [limited, free]) {
      const log = await settled(endpointId, EVENTS);
      expect(log.attempts).toMatchObject({ total: EVENTS, failed: 0 });
      expect(log.deliveries).toMatchObject({ total: EVENTS, succeeded: EVENTS });
    }
    process.stdout.write(
      `rate limit ${RATE}/s: ${paced.length} deliveries from 1 s after the first over ${windowS.toFixed(2)} s = ${rate.toFixed(2)}/s ` +
        `(${((100 * (rate - RATE)) / RATE).toFixed(2)} %), limited endpoint drained ${drainMs} ms after the send; ` +
        `busiest second ${busiest}; free endpoint p50 ${freeLatency[Math.ceil(0.5 * freeLatency.length) - 1]} ms, p95 ${p95} ms, max ${freeLatency[freeLatency.length - 1]} ms; ${await deferredForRate()} rate deferrals\n`,
    );
  }, 110_000);

  it('never has more than maxInFlight requests in flight to an endpoint, and delivers each once', async () => {
    const capped = await createEndpoint('/capped', ['capped.*'], { maxInFlight: MAX_IN_FLIGHT });
    const ids = Array.from({ length: CAPPED_EVENTS }, (_, i) => `evt_capped_${i}`);
    await send('capped.created', ids);
    await receiver.waitUntil((reqs) => new Set(reqs.filter((r) => r.path === '/capped').map((r) => r.headers['webhook-id'])).size >= CAPPED_EVENTS, {
      timeoutMs: 60_000,
      what: `all ${CAPPED_EVENTS} deliveries to the capped endpoint`,
    });
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expectEach(receiver.requests, '/capped', ids);
    // Reached, so a cap not held would have shown more.
    expect(meter.maxInFlight).toBe(MAX_IN_FLIGHT);
    const log = await settled(capped, CAPPED_EVENTS);
    expect(log.attempts).toMatchObject({ total: CAPPED_EVENTS, failed: 0 });
  }, 90_000);
});
