import { stackForSuite } from '../harness/test-stack';

const EVENTS = 200;
const CONCURRENCY = 2;
const WINDOW = 50;
// The shortest timeout an endpoint may have: held behind the slow backlog, the fast endpoint's last delivery would
// come only after EVENTS - WINDOW slow attempts, (EVENTS - WINDOW) x SLOW_TIMEOUT_MS / CONCURRENCY = 75 s, well
// within the deadline, so the count below, not the deadline, is what catches it.
const SLOW_TIMEOUT_MS = 1_000;
/** A failure deadline only. */
const DEADLINE_MS = 120_000;

describe('a slow endpoint on the same host as a fast one', () => {
  // One partition, so the requests to both endpoints share it and its window.
  const { stack, receiver } = stackForSuite({
    env: {
      HOOKLINE_TOPIC_PARTITIONS: '1',
      DISPATCHER_ENDPOINT_CONCURRENCY: String(CONCURRENCY),
      DISPATCHER_ENDPOINT_QUEUE: '5',
      DISPATCHER_PARTITION_WINDOW: String(WINDOW),
    },
    respond: (req, res) => {
      if (req.path === '/slow') return; // never answers, so each attempt lasts the endpoint's full timeout
      res.writeHead(204).end();
    },
  });

  it(
    "delivers a burst to the fast endpoint without waiting for the slow endpoint's attempts",
    async () => {
      const slow = { url: `${receiver.url}/slow`, eventTypes: ['*'], timeoutMs: SLOW_TIMEOUT_MS };
      expect((await stack.api('admin-api', 'POST', '/v1/tenants/wonka/endpoints', slow)).status).toBe(201);
      expect((await stack.api('admin-api', 'POST', '/v1/tenants/wonka/endpoints', { url: `${receiver.url}/fast`, eventTypes: ['*'] })).status).toBe(201);
      const events = Array.from({ length: EVENTS }, (_, i) => ({ tenantId: 'wonka', type: 'survey.answered', id: `ans_${i}`, data: { i } }));
      expect((await stack.api('ingest', 'POST', '/v1/events/batch', { events })).status).toBe(202);

      const atLastFast = await receiver.waitUntil((reqs) => reqs.filter((r) => r.path === '/fast').length >= EVENTS, {
        timeoutMs: DEADLINE_MS,
        what: 'all deliveries to the fast endpoint',
      });
      const slowAttempts = atLastFast.filter((r) => r.path === '/slow').length;
      expect(slowAttempts).toBeGreaterThan(0); // the slow endpoint was being attempted all along

      // Behind the slow endpoint's backlog, the fast endpoint's last delivery would have come only after all but a
      // window's worth of the slow requests ahead of it had been attempted to the end: at least EVENTS - WINDOW attempts.
      expect(slowAttempts).toBeLessThan(EVENTS - WINDOW);
      process.stdout.write(`the fast endpoint got ${EVENTS} deliveries while the slow one had been attempted ${slowAttempts} times\n`);
    },
    DEADLINE_MS + 30_000,
  );
});
