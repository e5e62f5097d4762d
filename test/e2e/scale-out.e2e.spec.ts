import type { ServerResponse } from 'node:http';
import type { ReceivedRequest } from '@hookline/testing';
import { Webhook } from 'standardwebhooks';
import { stackForSuite } from '../harness/test-stack';

const ENDPOINTS = 6;
const EVENTS = 360;
const BATCH = 12; // events per POST, one POST every 200 ms: 60 events/s, each to all six endpoints
const CAP = 3; // DISPATCHER_ENDPOINT_CONCURRENCY
const HOLD_MS = 60; // per request: one endpoint takes at most CAP / HOLD_MS = 50 requests/s, a little under what arrives

/** Requests in flight per endpoint path, and the most seen at once. */
class ConcurrencyMeter {
  readonly inFlight = new Map<string, number>();
  readonly max = new Map<string, number>();

  respond = (req: ReceivedRequest, res: ServerResponse): void => {
    const now = (this.inFlight.get(req.path) ?? 0) + 1;
    this.inFlight.set(req.path, now);
    this.max.set(req.path, Math.max(now, this.max.get(req.path) ?? 0));
    setTimeout(() => {
      this.inFlight.set(req.path, (this.inFlight.get(req.path) ?? 1) - 1);
      res.writeHead(200).end('ok');
    }, HOLD_MS);
  };
}

describe('two dispatchers and two rules-engines, one of each killed with kill -9 mid-run', () => {
  const meter = new ConcurrencyMeter();
  const { stack, receiver } = stackForSuite({
    instances: { dispatcher: 2, 'rules-engine': 2 },
    env: { DISPATCHER_ENDPOINT_CONCURRENCY: String(CAP) },
    respond: meter.respond,
  });

  it('delivers every event to every endpoint, repeats only the same delivery, and holds the per-endpoint cap across instances', async () => {
    const secrets = new Map<string, string>();
    for (let e = 0; e < ENDPOINTS; e++) {
      const created = await stack.api<{ secret: string }>('admin-api', 'POST', '/v1/tenants/scale/endpoints', {
        url: `${receiver.url}/ep-${e}`,
        eventTypes: ['*'],
      });
      expect(created.status).toBe(201);
      secrets.set(`/ep-${e}`, created.body.secret);
    }

    const ids = Array.from({ length: EVENTS }, (_, i) => `evt_scale_${i}`);
    let killedAt = -1;
    for (let start = 0; start < EVENTS; start += BATCH) {
      const batch = ids.slice(start, start + BATCH).map((id) => ({ tenantId: 'scale', type: 'order.created', id, data: { id } }));
      const sent = Date.now();
      expect((await stack.api('ingest', 'POST', '/v1/events/batch', { events: batch })).status).toBe(202);
      if (killedAt < 0 && start >= EVENTS / 3) {
        // Mid-stream, while both instances hold partitions with work in flight.
        await Promise.all([stack.kill('dispatcher', 1), stack.kill('rules-engine', 1)]);
        killedAt = pairs(receiver.requests).size;
      }
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, 200 - (Date.now() - sent))));
    }
    expect(stack.processOf('dispatcher', 1)).toBeUndefined();
    expect(stack.processOf('rules-engine', 1)).toBeUndefined();

    const expected = ENDPOINTS * EVENTS;
    await receiver.waitUntil((reqs) => pairs(reqs).size === expected, { timeoutMs: 100_000, what: `all ${expected} event × endpoint deliveries` });
    // A late repeat would come within a rebalance or a deferral's delay: give it the time to show, then check the whole set.
    await new Promise((resolve) => setTimeout(resolve, 3_000));

    const requests = receiver.requests;
    const deliveryOf = new Map<string, Set<string>>();
    const webhookIdsOf = new Map<string, Set<string>>();
    for (const req of requests) {
      expect(secrets.has(req.path)).toBe(true);
      expect(ids).toContain(req.headers['webhook-id']);
      expect(() => new Webhook(secrets.get(req.path)!).verify(req.body, req.headers)).not.toThrow();
      const pair = `${req.path} ${(JSON.parse(req.body) as { id: string }).id}`;
      deliveryOf.set(pair, (deliveryOf.get(pair) ?? new Set()).add(req.headers['x-hookline-delivery']));
      webhookIdsOf.set(pair, (webhookIdsOf.get(pair) ?? new Set()).add(req.headers['webhook-id']));
    }
    expect(deliveryOf.size).toBe(expected);
    // A repeat is the same delivery: one delivery id and one webhook-id per event × endpoint.
    expect([...deliveryOf.values()].filter((set) => set.size !== 1)).toEqual([]);
    expect([...webhookIdsOf.values()].filter((set) => set.size !== 1)).toEqual([]);

    // Each endpoint's requests live in one partition, so one dispatcher at a time works on them: the cap holds across
    // instances. It was reached, so an endpoint worked on by two instances at once would have shown more.
    const maxima = Object.fromEntries([...meter.max].sort());
    expect(Object.keys(maxima)).toHaveLength(ENDPOINTS);
    expect(Math.max(...Object.values(maxima))).toBe(CAP);
    process.stdout.write(
      `scale-out: killed dispatcher.1 and rules-engine.1 after ${killedAt} deliveries; ${requests.length} requests for ${expected} deliveries; ` +
        `max in flight per endpoint ${JSON.stringify(maxima)}\n`,
    );
  }, 150_000);
});

/** The distinct event × endpoint pairs among the requests. */
function pairs(requests: readonly ReceivedRequest[]): Set<string> {
  return new Set(requests.map((r) => `${r.path} ${r.headers['webhook-id']}`));
}
