import { Receiver } from '@hookline/testing';
import { testStack } from '../harness/test-stack';

const EVENTS = 200;

describe('a slow endpoint', () => {
  // One partition: the slow and the fast endpoint share it, and a small window
  // means that without deferral the slow endpoint's backlog would block the fast one.
  const stack = testStack({
    HOOKLINE_TOPIC_PARTITIONS: '1',
    DISPATCHER_ENDPOINT_CONCURRENCY: '2',
    DISPATCHER_ENDPOINT_QUEUE: '5',
    DISPATCHER_PARTITION_WINDOW: '50',
  });
  const receiver = new Receiver((req, res) => {
    if (req.path === '/slow') return; // never answers; the 1 s endpoint timeout ends each attempt
    res.writeHead(204).end();
  });

  beforeAll(async () => {
    await Promise.all([stack.start(), receiver.start()]);
  }, 180_000);

  afterAll(async () => {
    await stack.stop();
    await receiver.stop();
  });

  it('never stalls deliveries to the other endpoints', async () => {
    await stack.api('admin-api', 'POST', '/v1/tenants/wonka/endpoints', { url: `${receiver.url}/slow`, eventTypes: ['*'], timeoutMs: 1000 });
    await stack.api('admin-api', 'POST', '/v1/tenants/wonka/endpoints', { url: `${receiver.url}/fast`, eventTypes: ['*'] });
    const events = Array.from({ length: EVENTS }, (_, i) => ({ tenantId: 'wonka', type: 'survey.answered', id: `ans_${i}`, data: { i } }));
    const started = Date.now();
    expect((await stack.api('ingest', 'POST', '/v1/events/batch', { events })).status).toBe(202);

    // Serially, the slow endpoint would need EVENTS × 1 s / 2 = 100 s; the fast one must not wait for it.
    await receiver.waitFor((reqs) => reqs.filter((r) => r.path === '/fast').length >= EVENTS, 20_000, 'all deliveries to the fast endpoint');
    const elapsed = Date.now() - started;
    const slowSoFar = receiver.requests.filter((r) => r.path === '/slow').length;
    expect(slowSoFar).toBeLessThan(EVENTS);
    process.stdout.write(`fast endpoint got ${EVENTS} deliveries in ${elapsed} ms while the slow one had received ${slowSoFar}\n`);
  });
});
