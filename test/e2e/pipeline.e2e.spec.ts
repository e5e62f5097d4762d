import { Webhook } from 'standardwebhooks';
import { stackForSuite, waitForDelivery } from '../harness/test-stack';

interface Endpoint {
  id: string;
  secret: string;
}
interface Delivery {
  id: string;
  status: string;
  attemptCount: number;
  attempts: { attempt: number; succeeded: boolean; response: { status: number; body: string } | null; request: { headers: Record<string, string> } }[];
}

describe('the delivery pipeline', () => {
  // One request at a time per endpoint: deliveries reach an endpoint in the order their requests were queued, so
  // once a marker sent after an event has arrived, any copy of that event has too.
  const { stack, receiver } = stackForSuite({ env: { DISPATCHER_ENDPOINT_CONCURRENCY: '1' } });

  const createEndpoint = async (tenantId: string, path: string, eventTypes: string[]) => {
    const res = await stack.api<Endpoint>('admin-api', 'POST', `/v1/tenants/${tenantId}/endpoints`, { url: `${receiver.url}${path}`, eventTypes });
    expect(res.status).toBe(201);
    return res.body;
  };

  const deliveriesOf = async (tenantId: string, eventId: string) =>
    (await stack.api<{ data: Delivery[] }>('admin-api', 'GET', `/v1/deliveries?tenantId=${tenantId}&eventId=${encodeURIComponent(eventId)}`)).body.data;

  it('delivers a signed event that verifies with the standardwebhooks package', async () => {
    const endpoint = await createEndpoint('acme', '/hooks/billing', ['invoice.*']);
    const sent = await stack.api<{ id: string }>('ingest', 'POST', '/v1/events', {
      tenantId: 'acme',
      type: 'invoice.paid',
      data: { invoiceId: 'inv_1', amount: 4200 },
    });
    expect(sent.status).toBe(202);

    const [request] = await receiver.waitFor((r) => r.headers['webhook-id'] === sent.body.id, { what: 'the delivery' });
    const payload = new Webhook(endpoint.secret).verify(request.body, request.headers) as Record<string, unknown>;
    expect(payload).toMatchObject({ id: sent.body.id, type: 'invoice.paid', tenantId: 'acme', data: { invoiceId: 'inv_1', amount: 4200 } });
    expect(request.path).toBe('/hooks/billing');
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers['x-hookline-event']).toBe('invoice.paid');
    expect(request.headers['x-hookline-delivery']).toMatch(/^[0-9a-f-]{36}$/);
    expect(request.headers['idempotency-key']).toBe(request.headers['x-hookline-delivery']);
    expect(request.headers.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(() => new Webhook(endpoint.secret).verify(request.body.replace('4200', '4201'), request.headers)).toThrow();
  });

  it('does not deliver an event to an endpoint that did not subscribe to its type', async () => {
    await createEndpoint('globex', '/hooks/tickets', ['ticket.created']);
    const ignored = await stack.api<{ id: string }>('ingest', 'POST', '/v1/events', { tenantId: 'globex', type: 'invoice.paid', data: {} });
    const wanted = await stack.api<{ id: string }>('ingest', 'POST', '/v1/events', { tenantId: 'globex', type: 'ticket.created', data: {} });
    await receiver.waitFor((r) => r.headers['webhook-id'] === wanted.body.id);
    expect(receiver.requests.some((r) => r.headers['webhook-id'] === ignored.body.id)).toBe(false);
    expect(await deliveriesOf('globex', ignored.body.id)).toEqual([]);
  });

  it('retries a 500 and logs both attempts with status and response body', async () => {
    let calls = 0;
    await createEndpoint('initech', '/hooks/flaky', ['*']);
    receiver.respondWith((req, res) => {
      if (req.path !== '/hooks/flaky') return void res.writeHead(200).end('ok');
      calls++;
      if (calls === 1) res.writeHead(500, { 'content-type': 'text/plain' }).end('database on fire');
      else res.writeHead(200, { 'content-type': 'application/json' }).end('{"received":true}');
    });
    const sent = await stack.api<{ id: string }>('ingest', 'POST', '/v1/events', {
      tenantId: 'initech',
      type: 'incident.triggered',
      data: { severity: 'high' },
    });
    const [first, second] = await receiver.waitFor((r) => r.headers['webhook-id'] === sent.body.id, { count: 2, what: 'the retry' });
    // Same webhook-id and delivery on every attempt; the retry came after the scheduled ~5 s (±20 %).
    expect(second.headers['x-hookline-delivery']).toBe(first.headers['x-hookline-delivery']);
    expect(second.receivedAt - first.receivedAt).toBeGreaterThanOrEqual(4000);

    const delivery = await waitForDelivery<Delivery>(stack, 'initech', sent.body.id, (d) => d.status === 'succeeded', 'the delivery to succeed');
    expect(delivery).toMatchObject({ status: 'succeeded', attemptCount: 2 });
    expect(delivery.attempts.map((a) => [a.attempt, a.succeeded, a.response?.status, a.response?.body])).toEqual([
      [1, false, 500, 'database on fire'],
      [2, true, 200, '{"received":true}'],
    ]);
  });

  it('deduplicates an event id seen again', async () => {
    await createEndpoint('umbrella', '/hooks/dedup', ['*']);
    const event = { tenantId: 'umbrella', type: 'customer.created', id: 'cust_42:created', data: { name: 'Ada' } };
    const first = await stack.api<{ id: string; duplicate: boolean }>('ingest', 'POST', '/v1/events', event);
    const again = await stack.api<{ id: string; duplicate: boolean }>('ingest', 'POST', '/v1/events', event);
    expect(first.body).toEqual({ id: 'cust_42:created', duplicate: false });
    expect(again.body).toEqual({ id: 'cust_42:created', duplicate: true });
    const marker = await stack.api<{ id: string }>('ingest', 'POST', '/v1/events', { tenantId: 'umbrella', type: 'customer.created', data: {} });
    await receiver.waitFor((r) => r.headers['webhook-id'] === marker.body.id);
    expect(receiver.requests.filter((r) => r.headers['webhook-id'] === 'cust_42:created')).toHaveLength(1);
  });

  it('accepts exactly one of many concurrent requests with the same event id (regression: both were published)', async () => {
    await createEndpoint('stark', '/hooks/concurrent', ['*']);
    const event = { tenantId: 'stark', type: 'ticket.created', id: 'tkt_7:created', data: {} };
    const answers = await Promise.all(Array.from({ length: 20 }, () => stack.api<{ duplicate: boolean }>('ingest', 'POST', '/v1/events', event)));
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(202));
    expect(answers.filter((a) => !a.body.duplicate)).toHaveLength(1);
    const marker = await stack.api<{ id: string }>('ingest', 'POST', '/v1/events', { tenantId: 'stark', type: 'ticket.created', data: {} });
    // Any second copy was published before the marker, on the same partition.
    await receiver.waitUntil(
      (reqs) => reqs.some((r) => r.headers['webhook-id'] === marker.body.id) && reqs.some((r) => r.headers['webhook-id'] === 'tkt_7:created'),
    );
    expect(receiver.requests.filter((r) => r.headers['webhook-id'] === 'tkt_7:created')).toHaveLength(1);
  });

  it('manages endpoints, and every change reaches routing without calling admin-api', async () => {
    const base = '/v1/tenants/wayne/endpoints';
    const created = await createEndpoint('wayne', '/hooks/managed', ['ticket.*']);
    const other = await createEndpoint('wayne', '/hooks/witness', ['*']);
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);

    const list = await stack.api<{ data: { id: string; secret?: string }[] }>('admin-api', 'GET', base);
    expect(list.body.data.map((e) => e.id)).toEqual([created.id, other.id]);
    expect(list.body.data.every((e) => e.secret === undefined)).toBe(true);
    expect((await stack.api<{ secret: string }>('admin-api', 'GET', `${base}/${created.id}/secret`)).body.secret).toBe(created.secret);

    const patched = await stack.api<{ eventTypes: string[] }>('admin-api', 'PATCH', `${base}/${created.id}`, { eventTypes: ['chat.*'] });
    expect(patched.body.eventTypes).toEqual(['chat.*']);
    // admin-api is down while the events are routed: the change reaches rules-engine and dispatcher over the endpoints topic.
    await stack.stopService('admin-api');
    const ticket = await stack.api<{ id: string }>('ingest', 'POST', '/v1/events', { tenantId: 'wayne', type: 'ticket.created', data: {} });
    const chat = await stack.api<{ id: string }>('ingest', 'POST', '/v1/events', { tenantId: 'wayne', type: 'chat.message.sent', data: {} });
    await receiver.waitFor((r) => r.path === '/hooks/managed' && r.headers['webhook-id'] === chat.body.id);
    await receiver.waitFor((r) => r.path === '/hooks/witness' && r.headers['webhook-id'] === ticket.body.id);
    expect(receiver.requests.some((r) => r.path === '/hooks/managed' && r.headers['webhook-id'] === ticket.body.id)).toBe(false);
    await stack.startService('admin-api');

    expect((await stack.api('admin-api', 'DELETE', `${base}/${created.id}`)).status).toBe(204);
    expect((await stack.api('admin-api', 'GET', `${base}/${created.id}`)).status).toBe(404);
    const afterDelete = await stack.api<{ id: string }>('ingest', 'POST', '/v1/events', { tenantId: 'wayne', type: 'chat.message.sent', data: {} });
    await receiver.waitFor((r) => r.path === '/hooks/witness' && r.headers['webhook-id'] === afterDelete.body.id);
    expect(receiver.requests.some((r) => r.path === '/hooks/managed' && r.headers['webhook-id'] === afterDelete.body.id)).toBe(false);

    // Another tenant's path does not see the endpoint; a malformed id is simply not found.
    expect((await stack.api('admin-api', 'GET', `/v1/tenants/acme/endpoints/${other.id}`)).status).toBe(404);
    expect((await stack.api('admin-api', 'PATCH', `${base}/not-a-uuid`, { enabled: false })).status).toBe(404);
  });

  it('rotates a secret: old and new both sign during the overlap, and receivers holding either verify', async () => {
    const endpoint = await createEndpoint('oscorp', '/hooks/rotation', ['*']);
    const beforeRotation = Date.now();
    const rotated = await stack.api<{ secret: string; previousSecretsExpireAt: string }>(
      'admin-api',
      'POST',
      `/v1/tenants/oscorp/endpoints/${endpoint.id}/secret/rotate`,
      {},
    );
    expect(rotated.status).toBe(201);
    expect(rotated.body.secret).not.toBe(endpoint.secret);
    const afterRotation = Date.now();
    // 24 h from the moment admin-api rotated, which lies between the two readings of this (same) host's clock.
    const expireAt = Date.parse(rotated.body.previousSecretsExpireAt);
    expect(expireAt).toBeGreaterThanOrEqual(beforeRotation + 24 * 3_600_000);
    expect(expireAt).toBeLessThanOrEqual(afterRotation + 24 * 3_600_000);
    const secrets = await stack.api<{ secrets: string[] }>('admin-api', 'GET', `/v1/tenants/oscorp/endpoints/${endpoint.id}/secret`);
    expect(secrets.body.secrets).toEqual([endpoint.secret, rotated.body.secret]);

    const sent = await stack.api<{ id: string }>('ingest', 'POST', '/v1/events', { tenantId: 'oscorp', type: 'invoice.paid', data: {} });
    const [request] = await receiver.waitFor((r) => r.headers['webhook-id'] === sent.body.id);
    expect(request.headers['webhook-signature'].split(' ')).toHaveLength(2);
    for (const secret of [endpoint.secret, rotated.body.secret]) expect(() => new Webhook(secret).verify(request.body, request.headers)).not.toThrow();

    // With no overlap the old secret stops signing at once.
    const immediate = await stack.api<{ secret: string }>('admin-api', 'POST', `/v1/tenants/oscorp/endpoints/${endpoint.id}/secret/rotate`, {
      overlapHours: 0,
    });
    const after = await stack.api<{ id: string }>('ingest', 'POST', '/v1/events', { tenantId: 'oscorp', type: 'invoice.paid', data: {} });
    const [last] = await receiver.waitFor((r) => r.headers['webhook-id'] === after.body.id);
    expect(last.headers['webhook-signature'].split(' ')).toHaveLength(1);
    expect(() => new Webhook(immediate.body.secret).verify(last.body, last.headers)).not.toThrow();
    expect(() => new Webhook(rotated.body.secret).verify(last.body, last.headers)).toThrow();
    expect((await stack.api('admin-api', 'POST', `/v1/tenants/oscorp/endpoints/${endpoint.id}/secret/rotate`, { overlapHours: 1000 })).status).toBe(400);
  });

  it('names the field and rule of a bad endpoint', async () => {
    const res = await stack.api<{ issues: { field: string; rule: string }[] }>('admin-api', 'POST', '/v1/tenants/acme/endpoints', {
      url: 'not a url',
      eventTypes: ['Invoice Paid'],
      timeoutMs: 50,
    });
    expect(res.status).toBe(400);
    expect(res.body.issues).toEqual([
      { field: 'url', rule: 'must be an absolute URL' },
      { field: 'eventTypes.0', rule: expect.stringContaining('must be "*", an event type') },
      { field: 'timeoutMs', rule: 'must be 1000-30000 ms' },
    ]);
  });

  it('rejects an invalid event with a 400 that names the field and the rule', async () => {
    const res = await stack.api<{ error: string; message: string; issues: { field: string; rule: string }[] }>('ingest', 'POST', '/v1/events', {
      tenantId: 'acme',
      type: 'Invoice Paid!',
      data: {},
    });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('validation_failed');
    expect(res.body.issues).toEqual([{ field: 'type', rule: 'must be dot-separated lowercase words, e.g. "invoice.paid"' }]);

    const batch = await stack.api<{ issues: { field: string }[] }>('ingest', 'POST', '/v1/events/batch', {
      events: [
        { tenantId: 'acme', type: 'invoice.paid', data: {} },
        { tenantId: 'acme', type: 'invoice.paid' },
      ],
    });
    expect(batch.status).toBe(400);
    expect(batch.body.issues.map((i) => i.field)).toEqual(['events.1.data']);
  });

  it('refuses requests without the admin token', async () => {
    const res = await fetch(`${stack.url('ingest')}/v1/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(401);
  });
});
