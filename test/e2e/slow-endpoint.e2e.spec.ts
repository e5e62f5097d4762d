import { stackForSuite } from '../harness/test-stack';

const EVENTS = 200;

describe('a slow endpoint on the same host as a fast one', () => {
  // One partition: the slow and the fast endpoint share it, and a small window
  // means that without deferral the slow endpoint's backlog would block the fast one.
  const { stack, receiver } = stackForSuite({
    env: {
      HOOKLINE_TOPIC_PARTITIONS: '1',
      DISPATCHER_ENDPOINT_CONCURRENCY: '2',
      DISPATCHER_ENDPOINT_QUEUE: '5',
      DISPATCHER_PARTITION_WINDOW: '50',
    },
    respond: (req, res) => {
      if (req.path === '/slow') return; // never answers; the endpoint's 5 s timeout ends each attempt
      res.writeHead(204).end();
    },
  });

  it('never stalls deliveries to the other endpoints', async () => {
    expect(
      (await stack.api('admin-api', 'POST', '/v1/tenants/wonka/endpoints', { url: `${receiver.url}/slow`, eventTypes: ['*'], timeoutMs: 5000 })).status,
    ).toBe(201);
    expect((await stack.api('admin-api', 'POST', '/v1/tenants/wonka/endpoints', { url: `${receiver.url}/fast`, eventTypes: ['*'] })).status).toBe(201);
    const events = Array.from({ length: EVENTS }, (_, i) => ({ tenantId: 'wonka', type: 'survey.answered', id: `ans_${i}`, data: { i } }));
    const started = Date.now();
    expect((await stack.api('ingest', 'POST', '/v1/events/batch', { events })).status).toBe(202);

    // Behind the slow endpoint's backlog (EVENTS × 5 s / 2 = 500 s) the fast one would wait minutes; it must not wait at all.
    await receiver.waitFor((r) => r.path === '/fast', { count: EVENTS, timeoutMs: 10_000, what: 'all deliveries to the fast endpoint' });
    const elapsed = Date.now() - started;
    const slowSoFar = receiver.requests.filter((r) => r.path === '/slow').length;
    expect(slowSoFar).toBeGreaterThan(0); // the slow endpoint was being attempted all along
    expect(slowSoFar).toBeLessThan(EVENTS);
    const fast = receiver.requests.filter((r) => r.path === '/fast').map((r) => r.receivedAt - started);
    process.stdout.write(
      `fast endpoint got ${EVENTS} deliveries in ${elapsed} ms (first after ${fast[0]} ms, 100th after ${fast[99]} ms) while the slow one had received ${slowSoFar}\n`,
    );
  });
});
