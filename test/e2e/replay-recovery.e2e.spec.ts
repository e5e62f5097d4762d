import { waitFor } from '@hookline/infra';
import type { ReceivedRequest } from '@hookline/testing';
import { stackForSuite } from '../harness/test-stack';

interface Attempt {
  attempt: number;
  succeeded: boolean;
  replay: { by: string; at: string; jobId?: string } | null;
}
interface Delivery {
  id: string;
  eventId: string;
  status: string;
  attemptCount: number;
  attempts: Attempt[];
}
interface Job {
  id: string;
  state: string;
  total: number;
  done: number;
  failed: number;
}

/**
 * Replay and recovery on the real pipeline. Every chain here is two attempts
 * 300 ms apart, so a delivery to an endpoint that answers 500 is dead within
 * a second; the receiver answers per path as the test says.
 */
describe('replay and recovery', () => {
  const TENANT = 'recovery';
  const down = new Set<string>();
  const { stack, receiver } = stackForSuite({
    env: {
      HOOKLINE_RETRY_SCHEDULE: '300ms',
      // Slow enough that the recovery below lasts several seconds and the kill lands mid-run.
      HOOKLINE_RECOVERY_RATE: '20',
      HOOKLINE_RECOVERY_LEASE_MS: '3000',
      HOOKLINE_RECOVERY_POLL_MS: '200',
    },
    respond: (req, res) => void res.writeHead(down.has(req.path) ? 500 : 200).end(down.has(req.path) ? 'down' : 'ok'),
  });

  const createEndpoint = async (path: string) => {
    const res = await stack.api<{ id: string }>('admin-api', 'POST', `/v1/tenants/${TENANT}/endpoints`, {
      url: `${receiver.url}${path}`,
      eventTypes: [`${path.slice(1)}.*`],
    });
    expect(res.status).toBe(201);
    return res.body.id;
  };
  const sendEvents = async (type: string, count: number) => {
    const events = Array.from({ length: count }, (_, i) => ({ tenantId: TENANT, type, data: { i } }));
    const res = await stack.api<{ events: { id: string }[] }>('ingest', 'POST', '/v1/events/batch', { events });
    expect(res.status).toBe(202);
    return res.body.events.map((r) => r.id);
  };
  const deliveriesOf = async (endpointId: string) => {
    const all: Delivery[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `tenantId=${TENANT}&endpointId=${endpointId}&limit=100${cursor ? `&cursor=${cursor}` : ''}`;
      const res = await stack.api<{ data: Delivery[]; nextCursor: string | null }>('admin-api', 'GET', `/v1/deliveries?${query}`);
      all.push(...res.body.data);
      cursor = res.body.nextCursor;
    } while (cursor);
    return all;
  };
  const waitForStatuses = (endpointId: string, expected: number, status: string) =>
    waitFor(
      async () => {
        const deliveries = await deliveriesOf(endpointId);
        return deliveries.length === expected && deliveries.every((d) => d.status === status) ? deliveries : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 250, description: `${expected} ${status} deliveries of ${endpointId}` },
    );
  const at = (path: string, since = 0) => receiver.requests.slice(since).filter((r) => r.path === path);

  it('replays a dead delivery: the receiver gets the same webhook-id again, and the log shows the new attempt and who replayed it', async () => {
    const endpointId = await createEndpoint('/single');
    down.add('/single');
    const [eventId] = await sendEvents('single.failed', 1);
    const [dead] = await waitForStatuses(endpointId, 1, 'dead');
    expect(dead.attempts.map((a) => [a.attempt, a.succeeded, a.replay])).toEqual([
      [1, false, null],
      [2, false, null],
    ]);
    down.delete('/single');

    const replayed = await stack.api<{ attempt: number; delivery: Delivery }>('admin-api', 'POST', `/v1/deliveries/${dead.id}/replay`);
    expect(replayed.status).toBe(202);
    expect(replayed.body).toMatchObject({ attempt: 3, delivery: { id: dead.id, status: 'dead' } });
    const [done] = await waitForStatuses(endpointId, 1, 'succeeded');
    expect(done.attempts.map((a) => [a.attempt, a.succeeded, a.replay?.by ?? null])).toEqual([
      [1, false, null],
      [2, false, null],
      [3, true, 'bootstrap'],
    ]);
    const requests = at('/single');
    expect(requests.map((r) => r.headers['webhook-id'])).toEqual([eventId, eventId, eventId]);
    expect(new Set(requests.map((r) => r.headers['idempotency-key']))).toEqual(new Set([dead.id]));
    // Succeeded is final too: it may be replayed again, and the next chain starts after attempt 3.
    expect((await stack.api<{ attempt: number }>('admin-api', 'POST', `/v1/deliveries/${dead.id}/replay`)).body).toEqual({
      attempt: 4,
      delivery: expect.objectContaining({ status: 'succeeded' }),
    });
  }, 60_000);

  it('recovers since T after an outage (the endpoint disabled by it, then enabled) exactly the dead deliveries, once each, through a kill -9 of the admin-api running the job', async () => {
    const endpointId = await createEndpoint('/outage');
    const T = new Date(Date.now() - 1000).toISOString();
    const healthy = await sendEvents('outage.before', 10);
    await waitForStatuses(endpointId, 10, 'succeeded');
    down.add('/outage');
    const failed = await sendEvents('outage.during', 60);
    await waitFor(async () => (await deliveriesOf(endpointId)).filter((d) => d.status === 'dead').length === 60, {
      timeoutMs: 30_000,
      intervalMs: 250,
      description: '60 dead deliveries',
    });
    down.delete('/outage');
    // Ten deliveries in a row failed, so Hookline disabled the endpoint by itself; the operator enables it again, then recovers.
    const disabled = await waitFor(
      async () => {
        const { body } = await stack.api<{ state: { state: string; cause: string | null } }>(
          'admin-api',
          'GET',
          `/v1/tenants/${TENANT}/endpoints/${endpointId}`,
        );
        return body.state.state === 'disabled' ? body.state : undefined;
      },
      { timeoutMs: 15_000, intervalMs: 250, description: 'the endpoint disabled by its run of failed deliveries' },
    );
    expect(disabled.cause).toBe('failure_threshold');
    expect((await stack.api('admin-api', 'POST', `/v1/tenants/${TENANT}/endpoints/${endpointId}/enable`)).status).toBe(200);

    const dry = await stack.api<{ count: number }>('admin-api', 'POST', `/v1/tenants/${TENANT}/endpoints/${endpointId}/recover`, { since: T, dryRun: true });
    expect(dry).toMatchObject({ status: 200, body: { count: 60 } });
    const before = receiver.requests.length;
    const started = await stack.api<Job>('admin-api', 'POST', `/v1/tenants/${TENANT}/endpoints/${endpointId}/recover`, { since: T });
    expect(started).toMatchObject({ status: 202, body: { state: 'queued', total: 60, done: 0 } });
    const jobId = started.body.id;
    const job = async () => (await stack.api<Job>('admin-api', 'GET', `/v1/recovery-jobs/${jobId}`)).body;

    // Kill the runner once it has sent a page or more, well before the end (20 a second: three seconds in all).
    await waitFor(async () => ((await job()).done >= 20 ? true : undefined), { timeoutMs: 30_000, intervalMs: 50, description: 'a first page resent' });
    await stack.kill('admin-api');
    const atKill = distinctIds(at('/outage', before)).size;
    expect(atKill).toBeLessThan(60);
    await stack.startService('admin-api');

    const finished = await waitFor(
      async () => {
        const j = await job();
        return j.state === 'done' ? j : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 250, description: 'the recovery job done' },
    );
    expect(finished).toMatchObject({ total: 60, done: 60, failed: 0 });
    await receiver.waitUntil(() => distinctIds(at('/outage', before)).size === 60, { timeoutMs: 30_000, what: 'every dead delivery resent' });
    const all = await waitForStatuses(endpointId, 70, 'succeeded');

    // Exactly the failed ones: the set of webhook-ids resent is the outage's events, none of those that had succeeded.
    const resent = at('/outage', before);
    expect([...distinctIds(resent)].sort()).toEqual([...failed].sort());
    expect(resent.filter((r) => healthy.includes(r.headers['webhook-id']))).toEqual([]);
    // Once each in the log: a page redone after the kill repeats the same attempt (same delivery id and attempt number), logged once.
    const byEvent = new Map(all.map((d) => [d.eventId, d]));
    for (const id of failed) {
      const d = byEvent.get(id) as Delivery;
      expect(d.attempts.map((a) => [a.attempt, a.succeeded, a.replay?.jobId ?? null])).toEqual([
        [1, false, null],
        [2, false, null],
        [3, true, jobId],
      ]);
    }
    for (const id of healthy) expect((byEvent.get(id) as Delivery).attempts.map((a) => a.attempt)).toEqual([1]);
    const repeats = resent.length - 60;
    for (const r of resent) expect(r.headers['idempotency-key']).toBe(byEvent.get(r.headers['webhook-id'])?.id);
    process.stdout.write(`admin-api killed after ${atKill} of 60 resent; ${repeats} repeat(s) of a redone page, each the same delivery\n`);
  }, 110_000);
});

function distinctIds(requests: readonly ReceivedRequest[]): Set<string> {
  return new Set(requests.map((r) => r.headers['webhook-id']));
}
