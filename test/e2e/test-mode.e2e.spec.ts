import { waitFor } from '@hookline/infra';
import type { ReceivedRequest } from '@hookline/testing';
import { verifyWebhook } from '@hookline/verify';
import { Client } from 'pg';
import { Webhook } from 'standardwebhooks';
import { stackForSuite } from '../harness/test-stack';

interface EndpointView {
  id: string;
  secret: string;
  signingKeys: { keyId: string; publicKey: string }[];
}
interface Preview {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
}
interface TestAttempt {
  deliveryId: string;
  eventId: string;
  succeeded: boolean;
  failure: { kind: string } | null;
  response: { status: number; body: string } | null;
  request: { headers: Record<string, string> };
}
interface DeliveryView {
  id: string;
  eventId: string;
  status: string;
  attempts: { attempt: number; succeeded: boolean }[];
}

/** Headers a real request carries that no preview can: the transport's own, and the attempt's trace context (not signed). */
const PER_REQUEST = ['connection', 'content-length', 'host', 'traceparent'];

/**
 * Test mode on the real pipeline: a test send reaches a receiver that verifies
 * it with the `standardwebhooks` package and is logged apart from live
 * deliveries; a preview made with a real delivery's id, timestamp and nonce is
 * that delivery, byte for byte.
 */
describe('test mode: test send and preview', () => {
  const { stack, receiver } = stackForSuite();
  const tenant = 'testmode';
  const path = '/testmode/in?team=billing';
  let endpoint: EndpointView;
  let base: string;
  let db: Client;

  beforeAll(async () => {
    receiver.respondWith((req, res) => {
      if (req.path.startsWith('/failing')) return void res.writeHead(500).end('not today');
      // What a receiver does: verify with the Standard Webhooks library, answer 401 if it does not hold.
      try {
        new Webhook(endpoint.secret).verify(req.body, req.headers);
        res.writeHead(200, { 'content-type': 'text/plain' }).end(`verified ${req.headers['webhook-id']}`);
      } catch (error) {
        res.writeHead(401).end(String(error));
      }
    });
    const created = await stack.api<EndpointView>('admin-api', 'POST', `/v1/tenants/${tenant}/endpoints`, {
      url: `${receiver.url}${path}`,
      eventTypes: ['invoice.*'],
      signatureSchemes: ['v1', 'hookline-v1', 'ed25519', 'rsa-sha256'],
      headers: { 'X-Team': 'billing', Authorization: 'Bearer receiver-credential' },
    });
    expect(created.status).toBe(201);
    endpoint = created.body;
    base = `/v1/tenants/${tenant}/endpoints/${endpoint.id}`;
    db = new Client({ connectionString: stack.databaseUrl });
    await db.connect();
  });
  afterAll(() => db?.end());

  const modesOf = async (deliveryId: string) =>
    (
      await db.query<{ delivery: string; attempts: string[] }>(
        `SELECT d.mode AS delivery, array(SELECT a.mode FROM attempts a WHERE a.delivery_id = d.id ORDER BY a.attempt_number) AS attempts
         FROM deliveries d WHERE d.id = $1`,
        [deliveryId],
      )
    ).rows;

  it('sends a test the receiver verifies with standardwebhooks, marked x-hookline-test, logged with mode test only', async () => {
    const res = await stack.api<TestAttempt>('admin-api', 'POST', `${base}/test`, { type: 'invoice.paid', data: { invoiceId: 'inv_test', amount: 1 } });
    expect(res.status).toBe(200);
    const attempt = res.body;
    expect(attempt).toMatchObject({ succeeded: true, failure: null, response: { status: 200, body: `verified ${attempt.eventId}` } });
    expect(attempt.eventId).toMatch(/^test_/);

    const received = receiver.requests.filter((r) => r.headers['webhook-id'] === attempt.eventId);
    expect(received).toHaveLength(1);
    expect(received[0].headers).toMatchObject({
      'x-hookline-test': 'true',
      'x-hookline-delivery': attempt.deliveryId,
      traceparent: expect.stringMatching(/^00-/),
    });

    // log-store writes it from the attempts topic: the delivery and its one attempt, both mode test.
    const logged = await waitFor(
      async () => {
        const d = await stack.api<DeliveryView>('admin-api', 'GET', `/v1/deliveries/${attempt.deliveryId}?tenantId=${tenant}`);
        return d.status === 200 && d.body.status === 'succeeded' ? d.body : undefined;
      },
      { timeoutMs: 15_000, intervalMs: 200, description: 'the test delivery in the log' },
    );
    expect(logged).toMatchObject({ eventId: attempt.eventId, attempts: [{ attempt: 1, succeeded: true }] });
    expect(await modesOf(attempt.deliveryId)).toEqual([{ delivery: 'test', attempts: ['test'] }]);
    // Listed apart: only with mode=test, never in the production log (the default list, or mode=live).
    const listed = async (query: string) =>
      (await stack.api<{ data: { id: string }[] }>('admin-api', 'GET', `/v1/deliveries?tenantId=${tenant}&limit=100${query}`)).body.data.map((d) => d.id);
    expect(await listed('&mode=test')).toContain(attempt.deliveryId);
    expect(await listed('')).not.toContain(attempt.deliveryId);
    expect(await listed('&mode=live')).not.toContain(attempt.deliveryId);
    // It is no event of the tenant's stream: nothing but the test send itself was made of it.
    expect((await stack.api('admin-api', 'GET', `/v1/events/${attempt.eventId}?tenantId=${tenant}`)).status).toBe(404);
    expect(receiver.requests.filter((r) => r.headers['x-hookline-test'] !== undefined)).toHaveLength(1);
  });

  it('ends a failed test send at once: dead in the log after its one attempt, never retried under a one-second policy', async () => {
    const failing = await stack.api<{ id: string }>('admin-api', 'POST', `/v1/tenants/${tenant}/endpoints`, {
      url: `${receiver.url}/failing`,
      eventTypes: ['nothing.*'],
      retryPolicy: { delays: ['1s', '1s'] },
    });
    expect(failing.status).toBe(201);
    const res = await stack.api<TestAttempt>('admin-api', 'POST', `/v1/tenants/${tenant}/endpoints/${failing.body.id}/test`, {
      type: 'invoice.paid',
      data: {},
    });
    expect(res).toMatchObject({ status: 200, body: { succeeded: false, failure: { kind: 'http_status' }, response: { status: 500, body: 'not today' } } });
    const dead = await waitFor(
      async () => {
        const d = await stack.api<DeliveryView>('admin-api', 'GET', `/v1/deliveries/${res.body.deliveryId}?tenantId=${tenant}`);
        return d.status === 200 && d.body.status === 'dead' ? d.body : undefined;
      },
      { timeoutMs: 15_000, intervalMs: 200, description: 'the failed test delivery to be dead in the log' },
    );
    // Two retries would have come 1 s apart by the endpoint's policy; 4 s later there is still the one attempt.
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    expect(receiver.requests.filter((r) => r.headers['webhook-id'] === res.body.eventId)).toHaveLength(1);
    const again = await stack.api<DeliveryView>('admin-api', 'GET', `/v1/deliveries/${dead.id}?tenantId=${tenant}`);
    expect(again.body).toMatchObject({ status: 'dead', attempts: [{ attempt: 1, succeeded: false }] });
    expect(await modesOf(res.body.deliveryId)).toEqual([{ delivery: 'test', attempts: ['test'] }]);
  });

  it('previews a real delivery byte for byte from its webhook-id, timestamp, occurredAt and nonce', async () => {
    const event = {
      tenantId: tenant,
      type: 'invoice.paid',
      id: 'inv_42:paid',
      occurredAt: '2026-11-22T11:00:00+01:00',
      data: { invoiceId: 'inv_42', note: 'ü ✓' },
    };
    expect((await stack.api('ingest', 'POST', '/v1/events', event)).status).toBe(202);
    const [delivered] = await receiver.waitFor((r) => r.headers['webhook-id'] === event.id, { what: 'the live delivery' });
    const preview = await previewOf(delivered, JSON.parse(delivered.body).occurredAt);
    expect(preview.method).toBe('POST');
    expect(preview.url).toBe(`${receiver.url}${path}`);
    expect(preview.body).toBe(delivered.body);
    // Every header of the preview is on the wire with the same value (the credential reads [redacted], as in the log)…
    const mismatches = Object.entries(preview.headers).filter(([name, value]) => delivered.headers[name.toLowerCase()] !== value);
    expect(mismatches).toEqual([['Authorization', '[redacted]']]);
    expect(delivered.headers.authorization).toBe('Bearer receiver-credential');
    // …and the wire has nothing more than the transport's headers and the trace context.
    const previewed = new Set(Object.keys(preview.headers).map((n) => n.toLowerCase()));
    expect(
      Object.keys(delivered.headers)
        .filter((n) => !previewed.has(n))
        .sort(),
    ).toEqual(PER_REQUEST);

    // Every signature of the preview is the delivery's, and verifies as it.
    for (const name of ['webhook-signature', 'x-hookline-signature', 'x-hookline-rsa-signature', 'x-hookline-key-id'])
      expect(preview.headers[name]).toBe(delivered.headers[name]);
    const trust = { secrets: [endpoint.secret], publicKeys: endpoint.signingKeys.map((k) => ({ key: k.publicKey, keyId: k.keyId })) };
    for (const scheme of ['v1', 'hookline-v1', 'ed25519', 'rsa-sha256'] as const) {
      await expect(verifyWebhook({ ...trust, schemes: [scheme], body: preview.body, headers: preview.headers, path })).resolves.toMatchObject({ scheme });
    }

    // A preview one second off is another request: the comparison above can fail.
    const later = await previewOf(
      { ...delivered, headers: { ...delivered.headers, 'webhook-timestamp': String(Number(delivered.headers['webhook-timestamp']) + 1) } },
      event.occurredAt,
    );
    expect(later.headers['webhook-signature']).not.toBe(delivered.headers['webhook-signature']);
  });

  async function previewOf(delivered: ReceivedRequest, occurredAt: string): Promise<Preview> {
    const { type, data } = JSON.parse(delivered.body) as { type: string; data: Record<string, unknown> };
    const res = await stack.api<Preview>('admin-api', 'POST', `${base}/preview`, {
      type,
      data,
      id: delivered.headers['webhook-id'],
      timestamp: delivered.headers['webhook-timestamp'],
      occurredAt,
      nonce: delivered.headers['x-hookline-nonce'],
    });
    expect(res.status).toBe(200);
    return res.body;
  }
});
