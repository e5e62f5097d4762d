import type { ReceivedRequest } from '@hookline/testing';
import { Webhook } from 'standardwebhooks';
import { stackForSuite } from '../harness/test-stack';

const EVENTS = 1000;

describe('kill -9 of the dispatcher mid-run', () => {
  const { stack, receiver } = stackForSuite({
    env: { DISPATCHER_ENDPOINT_CONCURRENCY: '10' },
    // Each answer takes 50 ms, so 1,000 deliveries take several seconds and the kill lands mid-run.
    respond: (_req, res) => void setTimeout(() => res.writeHead(200).end('ok'), 50),
  });

  it('loses no event: all 1,000 arrive, repeats only with the same webhook-id and delivery id', async () => {
    const endpoint = await stack.api<{ id: string; secret: string }>('admin-api', 'POST', '/v1/tenants/crash/endpoints', {
      url: `${receiver.url}/crash`,
      eventTypes: ['*'],
    });
    expect(endpoint.status).toBe(201);

    const ids = Array.from({ length: EVENTS }, (_, i) => `evt_crash_${i}`);
    for (let start = 0; start < EVENTS; start += 500) {
      const batch = ids.slice(start, start + 500).map((id) => ({ tenantId: 'crash', type: 'task.completed', id, data: { id } }));
      expect((await stack.api('ingest', 'POST', '/v1/events/batch', { events: batch })).status).toBe(202);
    }

    await receiver.waitUntil((reqs) => reqs.length >= 150, { timeoutMs: 60_000, what: '150 deliveries before the kill' });
    await stack.kill('dispatcher');
    const atKill = distinct(receiver.requests).size;
    expect(atKill).toBeLessThan(EVENTS);
    await stack.startService('dispatcher');

    await receiver.waitUntil((reqs) => distinct(reqs).size === EVENTS, { timeoutMs: 120_000, what: `all ${EVENTS} events` });
    const webhook = new Webhook(endpoint.body.secret);
    const deliveryOf = new Map<string, string>();
    for (const req of receiver.requests) {
      const id = req.headers['webhook-id'];
      expect(ids).toContain(id);
      expect(() => webhook.verify(req.body, req.headers)).not.toThrow();
      // A repeat is the same delivery: same webhook-id, same delivery id, same idempotency key.
      const delivery = deliveryOf.get(id) ?? req.headers['x-hookline-delivery'];
      expect(req.headers['x-hookline-delivery']).toBe(delivery);
      expect(req.headers['idempotency-key']).toBe(delivery);
      deliveryOf.set(id, delivery);
    }
    process.stdout.write(`dispatcher killed after ${atKill} distinct deliveries; ${receiver.requests.length} requests for ${EVENTS} events\n`);
  }, 180_000);
});

function distinct(requests: readonly ReceivedRequest[]): Set<string> {
  return new Set(requests.map((r) => r.headers['webhook-id']));
}
