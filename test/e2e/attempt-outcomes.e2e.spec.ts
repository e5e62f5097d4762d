import { stackForSuite, waitForDelivery } from '../harness/test-stack';

interface Delivery {
  status: string;
  attemptCount: number;
  attempts: {
    attempt: number;
    succeeded: boolean;
    failure: { kind: string; message: string } | null;
    response: { status: number; body: string; bodyTruncated: boolean } | null;
    durationMs: number;
  }[];
}

describe('attempt outcomes and the end of a delivery', () => {
  // Short waits so a delivery runs out of attempts within the test: 3 attempts in all.
  const { stack, receiver } = stackForSuite({
    env: { HOOKLINE_RETRY_SCHEDULE: '300ms,300ms' },
    respond: (req, res) => {
      switch (req.path) {
        case '/always-500':
          return void res.writeHead(500).end('still broken');
        case '/gone':
          return void res.writeHead(410).end();
        case '/redirect':
          return void res.writeHead(302, { location: '/redirect-target' }).end();
        case '/big':
          return void res.writeHead(200).end('x'.repeat(10_000));
        case '/hang':
          return; // never answers
        case '/nul':
          return void res.writeHead(200).end('a\u0000b');
        default:
          res.writeHead(200).end('ok');
      }
    },
  });

  /** Creates an endpoint at `path`, sends one event to it and waits until its delivery reaches `status`. */
  async function deliver(path: string, status: string, endpoint: Record<string, unknown> = {}, data: Record<string, unknown> = {}): Promise<Delivery> {
    const tenantId = `t${path.replace(/[^a-z0-9]/g, '')}`;
    const created = await stack.api<{ id: string }>('admin-api', 'POST', `/v1/tenants/${tenantId}/endpoints`, { url: `${receiver.url}${path}`, ...endpoint });
    expect(created.status).toBe(201);
    const sent = await stack.api<{ id: string }>('ingest', 'POST', '/v1/events', { tenantId, type: 'project.updated', data });
    return waitForDelivery<Delivery>(stack, tenantId, sent.body.id, (d) => d.status === status, `the delivery to ${path} to become ${status}`);
  }

  it('marks a delivery dead after its last scheduled attempt, every attempt logged', async () => {
    const delivery = await deliver('/always-500', 'dead');
    expect(delivery.attemptCount).toBe(3);
    expect(delivery.attempts.map((a) => [a.attempt, a.succeeded, a.response?.status])).toEqual([
      [1, false, 500],
      [2, false, 500],
      [3, false, 500],
    ]);
  });

  it('ends a delivery at once on 410 Gone', async () => {
    const delivery = await deliver('/gone', 'dead');
    expect(delivery.attempts).toHaveLength(1);
    expect(receiver.requests.filter((r) => r.path === '/gone')).toHaveLength(1);
  });

  it('treats a redirect as a failure and never follows it', async () => {
    const delivery = await deliver('/redirect', 'dead');
    expect(delivery.attempts[0]).toMatchObject({
      succeeded: false,
      failure: { kind: 'http_status', message: 'endpoint answered 302' },
      response: { status: 302 },
    });
    expect(receiver.requests.some((r) => r.path === '/redirect-target')).toBe(false);
  });

  it('keeps the first 4,096 bytes of a response body', async () => {
    const delivery = await deliver('/big', 'succeeded');
    expect(delivery.attempts[0].response).toMatchObject({ status: 200, bodyTruncated: true });
    expect(delivery.attempts[0].response!.body).toBe('x'.repeat(4096));
  });

  it("ends an attempt at the endpoint's timeout", async () => {
    const delivery = await deliver('/hang', 'dead', { timeoutMs: 1000 });
    // The endpoint's own timeout, not the 10 s default, is the one that ended each attempt (it cannot fire early).
    expect(delivery.attempts.map((a) => ({ failure: a.failure, response: a.response, lastedTheTimeout: a.durationMs >= 1000 }))).toEqual(
      Array(3).fill({ failure: { kind: 'timeout', message: 'no complete answer within 1000 ms' }, response: null, lastedTheTimeout: true }),
    );
  });

  it('refuses at ingest an event whose data holds NUL, which the log cannot store, naming the field', async () => {
    const sent = await stack.api<{ error: string; issues: { field: string; rule: string }[] }>('ingest', 'POST', '/v1/events', {
      tenantId: 'tnul',
      type: 'project.updated',
      data: { note: 'a\u0000b' },
    });
    expect(sent.status).toBe(400);
    expect(sent.body.error).toBe('validation_failed');
    expect(sent.body.issues.map((i) => i.field)).toEqual(['data.note']);
  });

  it('logs an answer whose body holds NUL, with U+FFFD in its place (regression: NUL jammed the log batch)', async () => {
    const delivery = await deliver('/nul', 'succeeded');
    expect(delivery.attempts).toHaveLength(1);
    expect(delivery.attempts[0].response).toMatchObject({ status: 200, body: 'a\ufffdb' });
  });
});
