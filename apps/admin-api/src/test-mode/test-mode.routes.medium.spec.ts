import { builtinEventType } from '@hookline/catalog';
import { AttemptsCompletedTopic, type AttemptOutcome } from '@hookline/contracts';
import { freshDatabase, Receiver, type InProcessService } from '@hookline/testing';
import { verifyWebhook } from '@hookline/verify';
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { startAdminApi } from '../admin-api.fixtures';

interface Preview {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
}
interface TestAttempt {
  deliveryId: string;
  eventId: string;
  mode: string;
  succeeded: boolean;
  failure: { kind: string; message: string } | null;
  request: { headers: Record<string, string> };
  response: { status: number; headers: Record<string, string>; body: string; bodyTruncated: boolean } | null;
  durationMs: number;
}

/**
 * Preview and test send over HTTP, in process on a real PostgreSQL (Kafka
 * recorded), with a real receiver on 127.0.0.1 (private targets allowed, as
 * under `npm start`): the answer, the scopes, the errors naming fields, and
 * that no secret is in any answer but as signatures.
 */
describe('test mode routes', () => {
  const database = freshDatabase();
  const TOKEN = `admin-token-${randomBytes(8).toString('hex')}`;
  const A = 'testmode-a';
  const receiver = new Receiver((req, res) => void res.writeHead(202, { 'x-receiver': 'yes' }).end(`got ${req.headers['webhook-id']}`));
  let api: InProcessService;
  let endpoint: { id: string; secret: string; signingKeys: { publicKey: string }[] };
  let base: string;
  const sample = { type: 'invoice.paid', data: { invoiceId: 'inv_1', amount: 4200 } };

  beforeAll(async () => {
    await receiver.start();
    api = await startAdminApi(database.url, TOKEN, { HOOKLINE_ALLOW_PRIVATE_TARGETS: 'true' });
    const created = await api.call<typeof endpoint>('POST', `/v1/tenants/${A}/endpoints`, {
      token: TOKEN,
      body: {
        url: `${receiver.url}/hooks?team=billing`,
        signatureSchemes: ['v1', 'hookline-v1', 'ed25519'],
        headers: { 'X-Team': 'billing', Authorization: 'Bearer receiver-credential' },
        enabled: false,
      },
    });
    expect(created.status).toBe(201);
    endpoint = created.body;
    base = `/v1/tenants/${A}/endpoints/${endpoint.id}`;
  }, 60_000);
  afterAll(async () => {
    await api?.close();
    await receiver.stop();
  });

  const createKey = async (scopes: string[]) =>
    (await api.call<{ key: string }>('POST', '/v1/api-keys', { token: TOKEN, body: { name: 'k', tenantId: A, scopes } })).body.key;

  it('previews the signed request without sending it: every signature verifies, no secret is in the answer', async () => {
    const before = receiver.requests.length;
    const res = await api.call<Preview>('POST', `${base}/preview`, { token: TOKEN, body: sample });
    expect(res.status).toBe(200);
    const preview = res.body;
    expect(preview).toMatchObject({ method: 'POST', url: `${receiver.url}/hooks?team=billing` });
    expect(JSON.parse(preview.body)).toMatchObject({ type: 'invoice.paid', tenantId: A, data: sample.data });
    expect(preview.headers).toMatchObject({ 'X-Team': 'billing', Authorization: '[redacted]', 'content-type': 'application/json' });
    for (const scheme of ['v1', 'hookline-v1', 'ed25519'] as const) {
      await expect(
        verifyWebhook({
          secrets: [endpoint.secret],
          publicKeys: endpoint.signingKeys.map((k) => k.publicKey),
          schemes: [scheme],
          body: preview.body,
          headers: preview.headers,
          path: '/hooks?team=billing',
        }),
      ).resolves.toMatchObject({ scheme });
    }
    expect(JSON.stringify(res.body)).not.toMatch(/whsec_|whsk_|PRIVATE KEY|receiver-credential/);
    expect(receiver.requests.length).toBe(before);
    expect(api.produced).toEqual([expect.objectContaining({ topic: 'hookline.endpoints.changed.v1' })]);
  });

  it('sends a test to the disabled endpoint and answers the attempt; the receiver verifies it and sees x-hookline-test', async () => {
    const res = await api.call<TestAttempt>('POST', `${base}/test`, { token: TOKEN, body: sample });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      eventId: expect.stringMatching(/^test_/),
      mode: 'test',
      succeeded: true,
      failure: null,
      response: { status: 202, headers: { 'x-receiver': 'yes' }, body: `got ${res.body.eventId}`, bodyTruncated: false },
      durationMs: expect.any(Number),
    });
    expect(res.body.request.headers).toMatchObject({ 'x-hookline-test': 'true', Authorization: '[redacted]', 'webhook-id': res.body.eventId });
    expect(JSON.stringify(res.body)).not.toMatch(/whsec_|whsk_|receiver-credential/);

    const received = receiver.requests.filter((r) => r.headers['webhook-id'] === res.body.eventId);
    expect(received).toHaveLength(1);
    expect(received[0].headers).toMatchObject({ 'x-hookline-test': 'true', authorization: 'Bearer receiver-credential' });
    expect(new Webhook(endpoint.secret).verify(received[0].body, received[0].headers)).toMatchObject({ id: res.body.eventId });

    const logged = api.produced.filter((p) => p.topic === AttemptsCompletedTopic.name).map((p) => p.value as AttemptOutcome);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ mode: 'test', deliveryId: res.body.deliveryId, attempt: 1, succeeded: true });
  });

  it('answers a receiver that cannot be reached as a failed attempt (200, the attempt says why), and logs it', async () => {
    const gone = new Receiver();
    await gone.start();
    const url = `${gone.url}/down`;
    await gone.stop();
    const created = await api.call<{ id: string }>('POST', `/v1/tenants/${A}/endpoints`, { token: TOKEN, body: { url, timeoutMs: 2000 } });
    const res = await api.call<TestAttempt>('POST', `/v1/tenants/${A}/endpoints/${created.body.id}/test`, { token: TOKEN, body: sample });
    expect(res).toMatchObject({ status: 200, body: { succeeded: false, failure: { kind: 'network' }, response: null } });
    expect(api.produced.filter((p) => p.topic === AttemptsCompletedTopic.name).map((p) => (p.value as AttemptOutcome).deliveryId)).toContain(
      res.body.deliveryId,
    );
  });

  it('takes endpoints:write on both routes: a read-only key gets 403 naming it, a write key of the tenant is served', async () => {
    const reader = await createKey(['endpoints:read']);
    for (const route of ['preview', 'test']) {
      expect(await api.call('POST', `${base}/${route}`, { token: reader, body: sample })).toMatchObject({
        status: 403,
        body: { error: 'forbidden', missingScope: 'endpoints:write' },
      });
    }
    const writer = await createKey(['endpoints:write']);
    expect((await api.call('POST', `${base}/preview`, { token: writer, body: sample })).status).toBe(200);
  });

  it.each([
    [
      'preview',
      'no data for a type without an example',
      { type: 'invoice.exploded' },
      'data',
      "is required: invoice.exploded has no example in the tenant's event catalog",
    ],
    ['test', 'no data for a type without an example', { type: 'invoice.exploded' }, 'data', 'has no example'],
    ['test', 'data that is an array', { type: 'invoice.paid', data: [1] }, 'data', 'a JSON object'],
    ['test', 'a bad type', { type: 'Invoice Paid', data: {} }, 'type', 'must be dot-separated lowercase words'],
    ['test', 'an id (a test send makes its own)', { ...sample, id: 'evt_1' }, '(root)', 'unknown field(s): id'],
    ['preview', 'a NUL in data', { type: 'invoice.paid', data: { note: 'a\u0000b' } }, 'data.note', 'U+0000'],
    ['preview', 'a bad event id', { ...sample, id: 'has space' }, 'id', 'must be 1-128 characters'],
    ['preview', 'a fractional timestamp', { ...sample, timestamp: 1.5 }, 'timestamp', 'must be whole Unix seconds'],
    ['preview', 'a timestamp in milliseconds', { ...sample, timestamp: '1795600000000' }, 'timestamp', 'must be whole Unix seconds'],
    ['preview', 'an occurredAt without a zone', { ...sample, occurredAt: '2026-11-22T10:00:00' }, 'occurredAt', 'must be an ISO 8601 date-time'],
    ['preview', 'a nonce with a dot', { ...sample, nonce: 'aaaaaaaaaaaaaaaa.bbbb' }, 'nonce', 'must be 16-128 characters'],
    ['preview', 'an unknown field', { ...sample, mode: 'test' }, '(root)', 'unknown field(s): mode'],
  ])('%s: answers 400 naming the field to %s', async (route, _name, body, field, rule) => {
    const before = receiver.requests.length;
    const res = await api.call(`POST`, `${base}/${route}`, { token: TOKEN, body });
    expect(res).toEqual({
      status: 400,
      body: {
        error: 'validation_failed',
        message: expect.stringContaining(`${field}: `),
        issues: expect.arrayContaining([{ field, rule: expect.stringContaining(rule) }]),
      },
    });
    expect(receiver.requests.length).toBe(before);
  });

  it('sends the type’s example from the tenant’s catalog when given no data: a built-in type’s, or the custom type’s newest', async () => {
    const preview = await api.call<{ body: string }>('POST', `${base}/preview`, { token: TOKEN, body: { type: 'invoice.paid' } });
    expect(preview.status).toBe(200);
    expect(JSON.parse(preview.body.body).data).toEqual(builtinEventType('invoice.paid')!.example);

    const schema = { type: 'object', properties: { sku: { type: 'string' } } };
    for (const example of [{ sku: 'A-1' }, { sku: 'B-2' }]) {
      const saved = await api.call('PUT', `/v1/tenants/${A}/event-types/stock.low`, { token: TOKEN, body: { description: '', schema, example } });
      if (saved.status === 404)
        expect((await api.call('POST', `/v1/tenants/${A}/event-types`, { token: TOKEN, body: { name: 'stock.low', schema, example } })).status).toBe(201);
    }
    const sent = await api.call<TestAttempt>('POST', `${base}/test`, { token: TOKEN, body: { type: 'stock.low' } });
    expect(sent.status).toBe(200);
    expect(JSON.parse(receiver.requests.at(-1)!.body).data).toEqual({ sku: 'B-2' });
  });

  it('answers 404 for an endpoint that is not there (deleted, or no UUID) and sends nothing', async () => {
    const doomed = await api.call<{ id: string }>('POST', `/v1/tenants/${A}/endpoints`, { token: TOKEN, body: { url: `${receiver.url}/doomed` } });
    expect((await api.call('DELETE', `/v1/tenants/${A}/endpoints/${doomed.body.id}`, { token: TOKEN })).status).toBe(204);
    const before = receiver.requests.length;
    for (const path of [`/v1/tenants/${A}/endpoints/${doomed.body.id}`, `/v1/tenants/${A}/endpoints/nope`]) {
      for (const route of ['preview', 'test']) {
        expect(await api.call('POST', `${path}/${route}`, { token: TOKEN, body: sample })).toMatchObject({ status: 404, body: { error: 'not_found' } });
      }
    }
    expect(receiver.requests.length).toBe(before);
  });
});
