import { stackForSuite } from '../harness/test-stack';

describe('Idempotency-Key on the write APIs', () => {
  const { stack, receiver } = stackForSuite();

  const post = (service: 'admin-api' | 'ingest', path: string, body: unknown, key: string) =>
    fetch(`${stack.url(service)}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.token}`, 'content-type': 'application/json', 'idempotency-key': key },
      body: JSON.stringify(body),
    });

  it('creates exactly one endpoint from 50 concurrent requests with one key', async () => {
    const body = { url: `${receiver.url}/once`, eventTypes: ['*'] };
    const answers = await Promise.all(Array.from({ length: 50 }, () => post('admin-api', '/v1/tenants/lexcorp/endpoints', body, 'create-once-1')));
    const statuses = answers.map((a) => a.status);
    // The first creates (201); the others are replays (201, same body) or see it still running (409).
    expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
    const created = await Promise.all(answers.filter((a) => a.status === 201).map(async (a) => ({ replayed: a.headers.get('idempotent-replayed'), body: (await a.json()) as { id: string } })));
    expect(new Set(created.map((c) => c.body.id)).size).toBe(1);
    expect(created.filter((c) => c.replayed !== 'true')).toHaveLength(1);

    const list = await stack.api<{ data: unknown[] }>('admin-api', 'GET', '/v1/tenants/lexcorp/endpoints');
    expect(list.body.data).toHaveLength(1);

    const replay = await post('admin-api', '/v1/tenants/lexcorp/endpoints', body, 'create-once-1');
    expect(replay.status).toBe(201);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(((await replay.json()) as { id: string }).id).toBe(created[0].body.id);
  });

  it('refuses the same key with a different request (422), naming the header', async () => {
    await post('ingest', '/v1/events', { tenantId: 'lexcorp', type: 'invoice.paid', data: { n: 1 } }, 'evt-key-1');
    const reused = await post('ingest', '/v1/events', { tenantId: 'lexcorp', type: 'invoice.paid', data: { n: 2 } }, 'evt-key-1');
    expect(reused.status).toBe(422);
    expect(((await reused.json()) as { message: string }).message).toMatch(/^Idempotency-Key:/);
  });

  it('replays an ingest answer without publishing the event again', async () => {
    const event = { tenantId: 'lexcorp', type: 'invoice.paid', data: { n: 3 } };
    const first = await post('ingest', '/v1/events', event, 'evt-key-2');
    const again = await post('ingest', '/v1/events', event, 'evt-key-2');
    const [a, b] = [(await first.json()) as { id: string }, (await again.json()) as { id: string }];
    expect(first.status).toBe(202);
    expect(again.status).toBe(202);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(b.id).toBe(a.id);
    await receiver.waitFor((reqs) => reqs.some((r) => r.headers['webhook-id'] === a.id));
    expect(receiver.requests.filter((r) => r.headers['webhook-id'] === a.id)).toHaveLength(1);
  });
});
