import { waitFor } from '@hookline/infra';
import { stackForSuite } from '../harness/test-stack';

interface Delivery {
  id: string;
  endpointId: string;
  status: string;
  attempts: { attempt: number; response: { status: number } | null; startedAt: string }[];
}

/**
 * Per-endpoint retry policies on the real pipeline: an endpoint with a policy
 * of its own and one on the default schedule, side by side in one stack, both
 * answering 500 to the first three attempts of every delivery. Each gets every
 * delivery once it answers 200, exactly once more than it failed, with the
 * attempts in the delivery log spaced by its own schedule. Then an endpoint
 * down for 30 s, whatever it is sent, gets everything once it is back.
 */
describe('per-endpoint retry policy', () => {
  const OWN_MS = [1000, 2000, 3000];
  // The stack's default differs from the endpoint's own at every step, so a retry on the wrong schedule shows.
  const DEFAULT_MS = [4000, 4000, 4000];
  const FAILURES = 3;
  const EVENTS = 5;
  const TENANT = 'policies';
  // What the pipeline adds to a wait: the retry-scheduler's poll (200 ms), Kafka hops and the log's timestamps.
  const SLACK_MS = 1500;
  const JITTER = 0.2;

  const seen = new Map<string, number>();
  /** Until when `/outage` answers 500 to everything (the second test's outage). */
  let outageUntil = 0;
  const { stack, receiver } = stackForSuite({
    env: { HOOKLINE_RETRY_SCHEDULE: DEFAULT_MS.map((ms) => `${ms}ms`).join(',') },
    respond: (req, res) => {
      if (req.path === '/outage') {
        const down = Date.now() < outageUntil;
        res.writeHead(down ? 500 : 200).end(down ? 'down' : 'ok');
        return;
      }
      const delivery = req.headers['x-hookline-delivery'];
      const count = (seen.get(delivery) ?? 0) + 1;
      seen.set(delivery, count);
      res.writeHead(count <= FAILURES ? 500 : 200).end(count <= FAILURES ? 'down' : 'ok');
    },
  });

  it('retries each endpoint by its own policy, the default by HOOKLINE_RETRY_SCHEDULE, and delivers everything once it comes back', async () => {
    const create = async (path: string, retryPolicy?: unknown) => {
      const res = await stack.api<{ id: string; retryPolicy: unknown }>('admin-api', 'POST', `/v1/tenants/${TENANT}/endpoints`, {
        url: `${receiver.url}${path}`,
        ...(retryPolicy === undefined ? {} : { retryPolicy }),
      });
      expect(res.status).toBe(201);
      return res.body;
    };
    const own = await create('/own', { delays: ['1s', '2s', '3s'] });
    expect(own.retryPolicy).toEqual({ delays: ['1s', '2s', '3s'] });
    const onDefault = await create('/default');
    expect(onDefault.retryPolicy).toBeNull();

    const eventIds: string[] = [];
    for (let i = 0; i < EVENTS; i++) {
      const sent = await stack.api<{ id: string }>('ingest', 'POST', '/v1/events', { tenantId: TENANT, type: 'invoice.paid', data: { n: i } });
      expect(sent.status).toBe(202);
      eventIds.push(sent.body.id);
    }

    // Every delivery to both endpoints, each succeeded: the full set, not the first to arrive.
    const deliveries = await waitFor(
      async () => {
        const { body } = await stack.api<{ data: Delivery[] }>('admin-api', 'GET', `/v1/deliveries?tenantId=${TENANT}&limit=100`);
        return body.data.length === 2 * EVENTS && body.data.every((d) => d.status === 'succeeded') ? body.data : undefined;
      },
      { timeoutMs: 45_000, intervalMs: 250, description: `all ${2 * EVENTS} deliveries to succeed` },
    );
    // Nothing more arrives afterwards: no retry of a delivery that already succeeded.
    const requestsWhenDone = receiver.requests.length;
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(receiver.requests.length).toBe(requestsWhenDone);

    const offSchedule: unknown[] = [];
    for (const [endpoint, path, schedule] of [
      [own, '/own', OWN_MS],
      [onDefault, '/default', DEFAULT_MS],
    ] as const) {
      const mine = deliveries.filter((d) => d.endpointId === endpoint.id);
      expect(mine).toHaveLength(EVENTS);
      const requests = receiver.requests.filter((r) => r.path === path);
      expect(requests).toHaveLength(EVENTS * (FAILURES + 1));
      for (const delivery of mine) {
        expect(requests.filter((r) => r.headers['x-hookline-delivery'] === delivery.id)).toHaveLength(FAILURES + 1);
        const attempts = [...delivery.attempts].sort((a, b) => a.attempt - b.attempt);
        expect(attempts.map((a) => [a.attempt, a.response?.status])).toEqual([
          [1, 500],
          [2, 500],
          [3, 500],
          [4, 200],
        ]);
        const gaps = attempts.slice(1).map((a, k) => Date.parse(a.startedAt) - Date.parse(attempts[k].startedAt));
        gaps.forEach((gap, k) => {
          const band = [schedule[k] * (1 - JITTER), schedule[k] * (1 + JITTER) + SLACK_MS];
          if (gap < band[0] || gap > band[1]) offSchedule.push({ path, delivery: delivery.id, afterAttempt: k + 1, gap, band });
        });
      }
    }
    expect(offSchedule).toEqual([]);
  }, 90_000);

  it('delivers everything to an endpoint that was down for 30 s once it is back, with attempts spaced by its own policy', async () => {
    const OUTAGE_MS = 30_000;
    const POLICY_MS = [2000, 4000, 8000, 8000, 8000, 8000];
    const created = await stack.api<{ id: string }>('admin-api', 'POST', `/v1/tenants/${TENANT}/endpoints`, {
      url: `${receiver.url}/outage`,
      eventTypes: ['outage.*'],
      retryPolicy: { delays: POLICY_MS.map((ms) => `${ms / 1000}s`) },
    });
    expect(created.status).toBe(201);
    outageUntil = Date.now() + OUTAGE_MS;
    const ids: string[] = [];
    for (let i = 0; i < EVENTS; i++) {
      const sent = await stack.api<{ id: string }>('ingest', 'POST', '/v1/events', { tenantId: TENANT, type: 'outage.tick', data: { n: i } });
      expect(sent.status).toBe(202);
      ids.push(sent.body.id);
    }
    // The policy's waits add up to 38 s, more than the outage even at -20 % jitter: the last attempt always finds it back.
    const deliveries = await waitFor(
      async () => {
        const { body } = await stack.api<{ data: Delivery[] }>('admin-api', 'GET', `/v1/deliveries?tenantId=${TENANT}&endpointId=${created.body.id}&limit=100`);
        return body.data.length === EVENTS && body.data.every((d) => d.status === 'succeeded') ? body.data : undefined;
      },
      { timeoutMs: 70_000, intervalMs: 500, description: `all ${EVENTS} deliveries to the endpoint that was down to succeed` },
    );
    const offSchedule: unknown[] = [];
    for (const delivery of deliveries) {
      const attempts = [...delivery.attempts].sort((a, b) => a.attempt - b.attempt);
      const last = attempts[attempts.length - 1];
      // Every attempt during the outage failed; the one after it succeeded, and it was the last.
      expect(attempts.slice(0, -1).every((a) => a.response?.status === 500 && Date.parse(a.startedAt) < outageUntil)).toBe(true);
      expect([last.response?.status, Date.parse(last.startedAt) >= outageUntil - SLACK_MS]).toEqual([200, true]);
      attempts.slice(1).forEach((a, k) => {
        const gap = Date.parse(a.startedAt) - Date.parse(attempts[k].startedAt);
        const band = [POLICY_MS[k] * (1 - JITTER), POLICY_MS[k] * (1 + JITTER) + SLACK_MS];
        if (gap < band[0] || gap > band[1]) offSchedule.push({ delivery: delivery.id, afterAttempt: k + 1, gap, band });
      });
      // The receiver saw exactly the attempts the log holds: nothing after the success.
      expect(receiver.requests.filter((r) => r.path === '/outage' && r.headers['x-hookline-delivery'] === delivery.id)).toHaveLength(attempts.length);
    }
    expect(offSchedule).toEqual([]);
  }, 100_000);
});
