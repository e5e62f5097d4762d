import { waitFor } from '@hookline/infra';
import { stackForSuite } from '../harness/test-stack';

type Service = 'admin-api' | 'ingest';
interface Route {
  name: string;
  service: Service;
  method: string;
  path: string;
  body?: unknown;
}

/** API keys and scopes: every route of both APIs, walked with the wrong keys. */
describe('API keys, scopes and tenants', () => {
  const { stack, receiver } = stackForSuite();
  const A = 'keys-tenant-a';
  const B = 'keys-tenant-b';

  const call = (token: string, service: Service, method: string, path: string, body?: unknown) =>
    stack.api<Record<string, unknown> & { data?: Record<string, unknown>[] }>(service, method, path, body, { token });
  const createKey = async (name: string, tenantId: string | undefined, scopes: string[], token = stack.token) => {
    const res = await call(token, 'admin-api', 'POST', '/v1/api-keys', { name, tenantId, scopes });
    expect(res.status).toBe(201);
    return res.body as { id: string; key: string; tenantId: string | null };
  };

  let keyA: { id: string; key: string };
  let keyB: { id: string; key: string };
  let endpointId: string;
  let deliveryId: string;
  let keyId: string;
  let routes: Route[];

  beforeAll(async () => {
    keyA = await createKey('tenant A admin', A, ['admin']);
    keyB = await createKey('tenant B admin', B, ['admin']);
    const endpoint = await call(keyA.key, 'admin-api', 'POST', `/v1/tenants/${A}/endpoints`, {
      url: `${receiver.url}/a`,
      eventTypes: ['*'],
      signatureSchemes: ['v1', 'ed25519'],
    });
    expect(endpoint.status).toBe(201);
    endpointId = endpoint.body.id as string;
    keyId = (endpoint.body.signingKeys as { keyId: string }[])[0].keyId;
    expect((await call(keyA.key, 'ingest', 'POST', '/v1/events', { tenantId: A, type: 'invoice.paid', data: { n: 1 } })).status).toBe(202);
    deliveryId = await waitForDelivery();

    const ep = `/v1/tenants/${A}/endpoints`;
    const event = { tenantId: A, type: 'invoice.paid', data: { n: 2 } };
    routes = [
      { name: 'endpoints create', service: 'admin-api', method: 'POST', path: ep, body: { url: `${receiver.url}/x`, eventTypes: ['*'] } },
      { name: 'endpoints list', service: 'admin-api', method: 'GET', path: ep },
      { name: 'endpoints get', service: 'admin-api', method: 'GET', path: `${ep}/${endpointId}` },
      { name: 'endpoints secret', service: 'admin-api', method: 'GET', path: `${ep}/${endpointId}/secret` },
      { name: 'endpoints rotate', service: 'admin-api', method: 'POST', path: `${ep}/${endpointId}/secret/rotate`, body: {} },
      { name: 'endpoints patch', service: 'admin-api', method: 'PATCH', path: `${ep}/${endpointId}`, body: { description: 'taken over' } },
      { name: 'signing keys create', service: 'admin-api', method: 'POST', path: `${ep}/${endpointId}/keys`, body: { algorithm: 'ed25519' } },
      { name: 'signing keys list', service: 'admin-api', method: 'GET', path: `${ep}/${endpointId}/keys` },
      { name: 'signing keys delete', service: 'admin-api', method: 'DELETE', path: `${ep}/${endpointId}/keys/${keyId}` },
      { name: 'endpoints delete', service: 'admin-api', method: 'DELETE', path: `${ep}/${endpointId}` },
      { name: 'deliveries list', service: 'admin-api', method: 'GET', path: `/v1/deliveries?tenantId=${A}` },
      { name: 'deliveries get', service: 'admin-api', method: 'GET', path: `/v1/deliveries/${deliveryId}` },
      { name: 'deliveries get with tenantId', service: 'admin-api', method: 'GET', path: `/v1/deliveries/${deliveryId}?tenantId=${A}` },
      { name: 'events post', service: 'ingest', method: 'POST', path: '/v1/events', body: event },
      { name: 'events batch', service: 'ingest', method: 'POST', path: '/v1/events/batch', body: { events: [event] } },
      { name: 'api-keys create', service: 'admin-api', method: 'POST', path: '/v1/api-keys', body: { name: 'x', tenantId: A, scopes: ['admin'] } },
      { name: 'api-keys revoke', service: 'admin-api', method: 'DELETE', path: `/v1/api-keys/${keyA.id}` },
    ];
  }, 60_000);

  const waitForDelivery = () =>
    waitFor(async () => (await call(keyA.key, 'admin-api', 'GET', '/v1/deliveries')).body.data?.[0]?.id as string | undefined, {
      intervalMs: 200,
      description: 'a delivery for tenant A',
    });

  it("answers 404 to tenant B's key on every route touching tenant A, and changes nothing", async () => {
    const answers = [];
    for (const r of routes) answers.push({ route: r.name, status: (await call(keyB.key, r.service, r.method, r.path, r.body)).status });
    expect(answers).toEqual(routes.map((r) => ({ route: r.name, status: 404 })));

    const endpoint = await call(keyA.key, 'admin-api', 'GET', `/v1/tenants/${A}/endpoints/${endpointId}`);
    expect(endpoint.status).toBe(200);
    expect(endpoint.body.description).not.toBe('taken over');
    expect((endpoint.body.signingKeys as { keyId: string }[]).map((k) => k.keyId)).toEqual([keyId]);
    expect((await call(keyA.key, 'admin-api', 'GET', `/v1/tenants/${A}/endpoints/${endpointId}/secret`)).body.secrets).toHaveLength(1);
    expect((await call(keyA.key, 'admin-api', 'GET', '/v1/api-keys')).status).toBe(200);
  });

  it("lists only the key's own tenant: deliveries without a filter, and API keys", async () => {
    const deliveries = await call(keyB.key, 'admin-api', 'GET', '/v1/deliveries');
    expect(deliveries.status).toBe(200);
    expect(deliveries.body.data).toEqual([]);
    const mine = await call(keyA.key, 'admin-api', 'GET', '/v1/deliveries');
    expect(mine.body.data?.every((d) => d.tenantId === A)).toBe(true);

    const keys = await call(keyB.key, 'admin-api', 'GET', '/v1/api-keys');
    expect(keys.status).toBe(200);
    expect(keys.body.data?.map((k) => k.tenantId)).toEqual([B]);
    expect(JSON.stringify(keys.body)).not.toContain(keyB.key);
    const all = await call(stack.token, 'admin-api', 'GET', '/v1/api-keys');
    expect(all.body.data?.map((k) => k.id)).toEqual(expect.arrayContaining([keyA.id, keyB.id]));
  });

  it('answers 403 naming the scope to a key of the right tenant lacking it, on every route', async () => {
    const replayOnly = await createKey('replay only', A, ['deliveries:replay'], keyA.key);
    const answers = [];
    for (const r of routes) {
      const res = await call(replayOnly.key, r.service, r.method, r.path, r.body);
      answers.push({ route: r.name, status: res.status, error: res.body?.error, hasScope: typeof res.body?.missingScope === 'string' });
    }
    expect(answers).toEqual(routes.map((r) => ({ route: r.name, status: 403, error: 'forbidden', hasScope: true })));
    expect((await call(replayOnly.key, 'admin-api', 'GET', '/v1/api-keys')).body).toMatchObject({ missingScope: 'admin' });
  });

  it('grants exactly the scopes a key carries', async () => {
    const reader = await createKey('reader', A, ['endpoints:read'], keyA.key);
    expect((await call(reader.key, 'admin-api', 'GET', `/v1/tenants/${A}/endpoints`)).status).toBe(200);
    const write = await call(reader.key, 'admin-api', 'PATCH', `/v1/tenants/${A}/endpoints/${endpointId}`, { description: 'nope' });
    expect(write.status).toBe(403);
    expect(write.body).toMatchObject({ error: 'forbidden', missingScope: 'endpoints:write' });
    const producer = await createKey('producer', A, ['events:write'], keyA.key);
    expect((await call(producer.key, 'ingest', 'POST', '/v1/events', { tenantId: A, type: 'invoice.paid', data: { n: 3 } })).status).toBe(202);
    expect((await call(producer.key, 'admin-api', 'GET', '/v1/deliveries')).status).toBe(403);
  });

  it('keeps tenant keys from minting global keys, and lets a global key act on any tenant', async () => {
    const own = await createKey('defaulted', undefined, ['endpoints:read'], keyB.key);
    expect(own.tenantId).toBe(B);
    expect(own.key).toMatch(new RegExp(`^hl_${B}_`));
    const global = await createKey('global reader', undefined, ['endpoints:read']);
    expect(global.tenantId).toBeNull();
    expect((await call(global.key, 'admin-api', 'GET', `/v1/tenants/${A}/endpoints`)).status).toBe(200);
    expect((await call(global.key, 'admin-api', 'GET', `/v1/tenants/${B}/endpoints`)).status).toBe(200);
    expect((await call(global.key, 'admin-api', 'POST', '/v1/api-keys', { name: 'x', scopes: ['admin'] })).status).toBe(403);
  });

  it('refuses a revoked key with 401 on both APIs at once', async () => {
    const doomed = await createKey('doomed', A, ['admin'], keyA.key);
    expect((await call(doomed.key, 'admin-api', 'GET', `/v1/tenants/${A}/endpoints`)).status).toBe(200);
    expect((await call(keyA.key, 'admin-api', 'DELETE', `/v1/api-keys/${doomed.id}`)).status).toBe(204);
    expect((await call(doomed.key, 'admin-api', 'GET', `/v1/tenants/${A}/endpoints`)).status).toBe(401);
    expect((await call(doomed.key, 'ingest', 'POST', '/v1/events', { tenantId: A, type: 'invoice.paid', data: {} })).status).toBe(401);
    const listed = await call(keyA.key, 'admin-api', 'GET', '/v1/api-keys');
    expect(listed.body.data?.find((k) => k.id === doomed.id)?.revokedAt).toEqual(expect.any(String));
    expect((await call(keyA.key, 'admin-api', 'DELETE', `/v1/api-keys/${doomed.id}`)).status).toBe(404);
  });

  it('refuses a missing or made-up key with 401', async () => {
    expect((await call('hl_global_made-up', 'admin-api', 'GET', '/v1/api-keys')).status).toBe(401);
    expect((await fetch(`${stack.url('ingest')}/v1/events`, { method: 'POST' })).status).toBe(401);
  });
});
