import { waitFor } from '@hookline/infra';
import { Client } from 'pg';
import { stackForSuite } from '../harness/test-stack';

describe('Idempotency-Key on the write APIs', () => {
  // One request at a time per endpoint: deliveries reach an endpoint in the order their requests were queued.
  const { stack, receiver } = stackForSuite({ env: { DISPATCHER_ENDPOINT_CONCURRENCY: '1' } });

  const post = (service: 'admin-api' | 'ingest', path: string, body: unknown, key: string) =>
    stack.api<{ id: string; message: string }>(service, 'POST', path, body, { headers: { 'idempotency-key': key } });

  it('creates exactly one endpoint from 50 concurrent requests with one key', async () => {
    const body = { url: `${receiver.url}/once`, eventTypes: ['*'] };
    const answers = await Promise.all(Array.from({ length: 50 }, () => post('admin-api', '/v1/tenants/lexcorp/endpoints', body, 'create-once-1')));
    const statuses = answers.map((a) => a.status);
    // The first creates (201); the others are replays (201, same body) or see it still running (409).
    expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
    const created = answers.filter((a) => a.status === 201).map((a) => ({ replayed: a.headers.get('idempotent-replayed'), body: a.body }));
    expect(new Set(created.map((c) => c.body.id)).size).toBe(1);
    expect(created.filter((c) => c.replayed !== 'true')).toHaveLength(1);

    const list = await stack.api<{ data: unknown[] }>('admin-api', 'GET', '/v1/tenants/lexcorp/endpoints');
    expect(list.body.data).toHaveLength(1);

    const replay = await post('admin-api', '/v1/tenants/lexcorp/endpoints', body, 'create-once-1');
    expect(replay.status).toBe(201);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body.id).toBe(created[0].body.id);
  });

  it('refuses the same key with a different request (422), naming the header', async () => {
    await post('ingest', '/v1/events', { tenantId: 'lexcorp', type: 'invoice.paid', data: { n: 1 } }, 'evt-key-1');
    const reused = await post('ingest', '/v1/events', { tenantId: 'lexcorp', type: 'invoice.paid', data: { n: 2 } }, 'evt-key-1');
    expect(reused.status).toBe(422);
    expect(reused.body.message).toMatch(/^Idempotency-Key:/);
  });

  it('replays an ingest answer without publishing the event again', async () => {
    const endpoint = await stack.api('admin-api', 'POST', '/v1/tenants/luthorcorp/endpoints', { url: `${receiver.url}/replayed`, eventTypes: ['*'] });
    expect(endpoint.status).toBe(201);
    const event = { tenantId: 'luthorcorp', type: 'invoice.paid', data: { n: 3 } };
    const first = await post('ingest', '/v1/events', event, 'evt-key-2');
    const again = await post('ingest', '/v1/events', event, 'evt-key-2');
    expect(first.status).toBe(202);
    expect(again.status).toBe(202);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body.id).toBe(first.body.id);

    // A second publication (under any event id) would be on the tenant's partition ahead of the marker, and with one
    // request at a time per endpoint it would reach the endpoint before the marker does. An attempt that fails on the
    // way (and is retried) lets the marker overtake it, so both are awaited, whatever their order; the delivery log
    // then holds exactly the two deliveries, and the endpoint saw nothing else.
    const marker = await stack.api<{ id: string }>('ingest', 'POST', '/v1/events', { tenantId: 'luthorcorp', type: 'invoice.paid', data: { marker: true } });
    const ids = [first.body.id, marker.body.id];
    await receiver
      .waitUntil((requests) => ids.every((id) => requests.some((r) => r.headers['webhook-id'] === id)), { what: 'the event and the marker' })
      .catch(async (error: Error) => {
        const log = await stack.api('admin-api', 'GET', '/v1/deliveries?tenantId=luthorcorp');
        throw new Error(`${error.message}; the delivery log of luthorcorp: ${JSON.stringify(log.body)}`);
      });
    const received = receiver.requests.filter((r) => r.path === '/replayed').map((r) => r.headers['webhook-id']);
    expect([...received].sort()).toEqual([...ids].sort());
    // log-store writes within about a second of the attempt.
    const logged = await waitFor(
      async () => {
        const log = await stack.api<{ data: { eventId: string }[] }>('admin-api', 'GET', '/v1/deliveries?tenantId=luthorcorp');
        const eventIds = log.body.data.map((d) => d.eventId);
        return ids.every((id) => eventIds.includes(id)) ? eventIds : undefined;
      },
      { timeoutMs: 15_000, intervalMs: 200, description: 'both deliveries in the log' },
    );
    expect([...logged].sort()).toEqual([...ids].sort());
  });

  it('scopes stored keys to the API key id: the table holds no credential', async () => {
    const key = await stack.api<{ id: string; key: string }>('admin-api', 'POST', '/v1/api-keys', {
      name: 'writer',
      tenantId: 'lexcorp',
      scopes: ['events:write'],
    });
    expect(key.status).toBe(201);
    const event = { tenantId: 'lexcorp', type: 'invoice.paid', data: { n: 4 } };
    expect((await stack.api('ingest', 'POST', '/v1/events', event, { token: key.body.key, headers: { 'idempotency-key': 'scoped-1' } })).status).toBe(202);
    expect((await post('ingest', '/v1/events', event, 'scoped-1')).headers.get('idempotent-replayed')).toBeNull(); // another caller, another scope

    const db = new Client({ connectionString: stack.databaseUrl });
    await db.connect();
    try {
      const { rows } = await db.query<{ scope: string }>(`SELECT scope FROM idempotency_keys WHERE key = 'scoped-1'`);
      expect(rows.map((r) => r.scope).sort()).toEqual([`key:${key.body.id}`, 'key:bootstrap'].sort());
      const all = (await db.query<{ scope: string }>('SELECT scope FROM idempotency_keys')).rows.map((r) => r.scope).join('\n');
      expect(all).not.toContain(key.body.key);
      expect(all).not.toContain(stack.token);
    } finally {
      await db.end();
    }
  });
});
