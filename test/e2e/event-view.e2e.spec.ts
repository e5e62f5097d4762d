import { waitFor } from '@hookline/infra';
import { stackForSuite } from '../harness/test-stack';

interface EventView {
  id: string;
  tenantId: string;
  type: string;
  data: unknown;
  deliveries: {
    endpointId: string;
    status: string;
    attempts: { attempt: number; succeeded: boolean; request: { headers: Record<string, string> }; response: { status: number; body: string } | null }[];
  }[];
}

/** One event through the real pipeline, then the operator's views of it: the event with its deliveries, and the endpoints' health. */
describe('the event view and endpoint stats on a real pipeline', () => {
  // A one-second retry, so the failed first attempt is retried within the suite's time.
  const { stack, receiver } = stackForSuite({ env: { HOOKLINE_RETRY_SCHEDULE: '1s' } });

  it('shows both deliveries of an event with every attempt, the receiver credential hidden, and the health they leave behind', async () => {
    let flakyCalls = 0;
    receiver.respondWith((req, res) => {
      if (req.path === '/flaky' && ++flakyCalls === 1) return void res.writeHead(500, { 'content-type': 'text/plain' }).end('try later');
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
    const create = async (path: string, headers: Record<string, string> = {}) => {
      const res = await stack.api<{ id: string }>('admin-api', 'POST', '/v1/tenants/acme/endpoints', {
        url: `${receiver.url}${path}`,
        eventTypes: ['*'],
        headers,
      });
      expect(res.status).toBe(201);
      return res.body.id;
    };
    const steady = await create('/steady', { Authorization: 'Bearer receiver-credential' });
    const flaky = await create('/flaky');
    const sent = await stack.api<{ id: string }>('ingest', 'POST', '/v1/events', { tenantId: 'acme', type: 'invoice.paid', data: { invoiceId: 'inv_9' } });
    expect(sent.status).toBe(202);

    // The whole expected set: both deliveries succeeded, the flaky one after two attempts.
    const view = await waitFor(
      async () => {
        const res = await stack.api<EventView>('admin-api', 'GET', `/v1/events/${sent.body.id}?tenantId=acme`);
        const done = res.status === 200 && res.body.deliveries.length === 2 && res.body.deliveries.every((d) => d.status === 'succeeded');
        return done ? res.body : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 200, description: 'both deliveries of the event to succeed in the log' },
    );
    expect(view).toMatchObject({ id: sent.body.id, tenantId: 'acme', type: 'invoice.paid', data: { invoiceId: 'inv_9' } });
    const byEndpoint = new Map(view.deliveries.map((d) => [d.endpointId, d]));
    expect([...byEndpoint.keys()].sort()).toEqual([steady, flaky].sort());
    expect(byEndpoint.get(flaky)?.attempts.map((a) => [a.attempt, a.succeeded, a.response?.status, a.response?.body])).toEqual([
      [1, false, 500, 'try later'],
      [2, true, 200, 'ok'],
    ]);
    const [steadyAttempt, ...more] = byEndpoint.get(steady)?.attempts ?? [];
    expect(more).toEqual([]);
    expect(steadyAttempt.request.headers).toMatchObject({
      Authorization: '[redacted]',
      'webhook-id': sent.body.id,
      'webhook-signature': expect.stringMatching(/^v1,/),
    });
    expect(JSON.stringify(view)).not.toContain('receiver-credential');
    // The receiver got the credential, and nothing more than the three attempts the log shows.
    const received = receiver.requests.filter((r) => r.headers['webhook-id'] === sent.body.id);
    expect(received.map((r) => r.path).sort()).toEqual(['/flaky', '/flaky', '/steady']);
    expect(received.find((r) => r.path === '/steady')?.headers.authorization).toBe('Bearer receiver-credential');

    const stats = await stack.api<Record<string, unknown>>('admin-api', 'GET', `/v1/tenants/acme/endpoints/${flaky}/stats`);
    expect(stats.status).toBe(200);
    expect(stats.body).toMatchObject({
      lastHour: {
        attempts: { total: 2, succeeded: 1, failed: 1 },
        successRate: 0.5,
        deliveries: { total: 1, succeeded: 1, dead: 0, successRate: 1 },
        latencyMs: { p50: expect.any(Number), p95: expect.any(Number), p99: expect.any(Number) },
      },
      lastError: { kind: 'http_status', status: 500 },
      consecutiveFailures: 0,
    });
  }, 90_000);
});
