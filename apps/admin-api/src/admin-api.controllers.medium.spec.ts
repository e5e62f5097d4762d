import { freshDatabase, type InProcessService } from '@hookline/testing';
import { randomBytes } from 'node:crypto';
import { startAdminApi } from './admin-api.fixtures';

/**
 * admin-api's HTTP contract, in process on a real PostgreSQL (Kafka recorded,
 * not run): who may call what (401, 404 across tenants, 403 naming the scope),
 * what a bad request is told (400 naming field and rule), and the one error
 * body every error has.
 */
describe('admin-api routes', () => {
  const database = freshDatabase();
  const TOKEN = `admin-token-${randomBytes(8).toString('hex')}`;
  const A = 'routes-a';
  const B = 'routes-b';
  let api: InProcessService;
  let keyA: { id: string; key: string };
  let keyB: { id: string; key: string };
  let endpointId: string;
  let signingKeyId: string;
  let deliveryId: string;
  let jobId: string;
  let ruleId: string;
  let contractId: string;
  let sourceId: string;
  const sourceBody = () => ({ provider: 'standard_webhooks', name: 'partner', secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' });
  const contractBody = () => ({ name: 'tickets.escalate', url: 'https://backend.example.com/escalate', inputSchema: { type: 'object' } });
  const ruleBody = () => ({ name: 'r', trigger: { eventTypes: ['invoice.paid'] }, actions: [{ type: 'deliver', endpointIds: [endpointId] }] });
  /** `scope`: the scope the route needs, when it is `deliveries:replay` (the 403 walk then uses a key without it). */
  let routes: { name: string; method: string; path: string; body?: unknown; scope?: string }[];

  const createKey = async (tenantId: string | undefined, scopes: string[], token = TOKEN) => {
    const res = await api.call<{ id: string; key: string; tenantId: string | null }>('POST', '/v1/api-keys', { token, body: { name: 'k', tenantId, scopes } });
    expect(res.status).toBe(201);
    return res.body;
  };

  beforeAll(async () => {
    api = await startAdminApi(database.url, TOKEN);
    keyA = await createKey(A, ['admin']);
    keyB = await createKey(B, ['admin']);
    const endpoint = await api.call<{ id: string; signingKeys: { keyId: string }[] }>('POST', `/v1/tenants/${A}/endpoints`, {
      token: keyA.key,
      body: { url: 'https://hooks.example.com/a', signatureSchemes: ['v1', 'ed25519'] },
    });
    expect(endpoint.status).toBe(201);
    endpointId = endpoint.body.id;
    signingKeyId = endpoint.body.signingKeys[0].keyId;
    deliveryId = '0d2f4c7e-1111-4222-8333-944455556666';
    await database.db.query(
      `INSERT INTO deliveries (id, tenant_id, event_id, endpoint_id, event_type, status, created_at) VALUES ($1, $2, 'evt_1', $3, 'invoice.paid', 'pending', now())`,
      [deliveryId, A, endpointId],
    );
    await database.db.query(
      `INSERT INTO events (tenant_id, id, type, data, occurred_at, received_at) VALUES ($1, 'evt_1', 'invoice.paid', '{}', now(), now())`,
      [A],
    );
    const job = await api.call<{ id: string }>('POST', `/v1/tenants/${A}/endpoints/${endpointId}/recover`, {
      token: keyA.key,
      body: { since: '2026-01-01T00:00:00Z' },
    });
    expect(job.status).toBe(202);
    jobId = job.body.id;
    const rule = await api.call<{ id: string }>('POST', `/v1/tenants/${A}/rules`, { token: keyA.key, body: ruleBody() });
    expect(rule.status).toBe(201);
    ruleId = rule.body.id;
    const contract = await api.call<{ id: string }>('POST', `/v1/tenants/${A}/action-contracts`, { token: keyA.key, body: contractBody() });
    expect(contract.status).toBe(201);
    contractId = contract.body.id;
    const source = await api.call<{ id: string }>('POST', `/v1/tenants/${A}/inbound-sources`, { token: keyA.key, body: sourceBody() });
    expect(source.status).toBe(201);
    sourceId = source.body.id;
    const is = `/v1/tenants/${A}/inbound-sources`;
    const ac = `/v1/tenants/${A}/action-contracts`;
    const ep = `/v1/tenants/${A}/endpoints`;
    const since = '2026-01-01T00:00:00Z';
    routes = [
      { name: 'endpoints create', method: 'POST', path: ep, body: { url: 'https://hooks.example.com/x' } },
      { name: 'endpoints list', method: 'GET', path: ep },
      { name: 'endpoints get', method: 'GET', path: `${ep}/${endpointId}` },
      { name: 'endpoints secret', method: 'GET', path: `${ep}/${endpointId}/secret` },
      { name: 'endpoints rotate', method: 'POST', path: `${ep}/${endpointId}/secret/rotate`, body: {} },
      { name: 'endpoints patch', method: 'PATCH', path: `${ep}/${endpointId}`, body: { description: 'taken over' } },
      { name: 'signing keys create', method: 'POST', path: `${ep}/${endpointId}/keys`, body: { algorithm: 'ed25519' } },
      { name: 'signing keys list', method: 'GET', path: `${ep}/${endpointId}/keys` },
      { name: 'signing keys delete', method: 'DELETE', path: `${ep}/${endpointId}/keys/${signingKeyId}` },
      { name: 'endpoints stats', method: 'GET', path: `${ep}/${endpointId}/stats` },
      { name: 'endpoints preview', method: 'POST', path: `${ep}/${endpointId}/preview`, body: { type: 'invoice.paid', data: {} } },
      { name: 'endpoints test send', method: 'POST', path: `${ep}/${endpointId}/test`, body: { type: 'invoice.paid', data: {} } },
      { name: 'endpoints pause', method: 'POST', path: `${ep}/${endpointId}/pause`, body: {} },
      { name: 'endpoints resume', method: 'POST', path: `${ep}/${endpointId}/resume` },
      { name: 'endpoints disable', method: 'POST', path: `${ep}/${endpointId}/disable`, body: { reason: 'taken over' } },
      { name: 'endpoints enable', method: 'POST', path: `${ep}/${endpointId}/enable` },
      { name: 'endpoints recover', method: 'POST', path: `${ep}/${endpointId}/recover`, body: { since }, scope: 'deliveries:replay' },
      { name: 'endpoints recover dry run', method: 'POST', path: `${ep}/${endpointId}/recover`, body: { since, dryRun: true }, scope: 'deliveries:replay' },
      { name: 'recovery jobs list', method: 'GET', path: `/v1/tenants/${A}/recovery-jobs` },
      { name: 'recovery jobs get', method: 'GET', path: `/v1/recovery-jobs/${jobId}` },
      { name: 'recovery jobs get with tenantId', method: 'GET', path: `/v1/recovery-jobs/${jobId}?tenantId=${A}` },
      { name: 'recovery jobs cancel', method: 'POST', path: `/v1/recovery-jobs/${jobId}/cancel`, scope: 'deliveries:replay' },
      { name: 'recovery jobs cancel with tenantId', method: 'POST', path: `/v1/recovery-jobs/${jobId}/cancel?tenantId=${A}`, scope: 'deliveries:replay' },
      { name: 'deliveries replay', method: 'POST', path: `/v1/deliveries/${deliveryId}/replay`, scope: 'deliveries:replay' },
      { name: 'deliveries replay with tenantId', method: 'POST', path: `/v1/deliveries/${deliveryId}/replay?tenantId=${A}`, scope: 'deliveries:replay' },
      { name: 'deliveries retry now', method: 'POST', path: `/v1/deliveries/${deliveryId}/retry-now`, scope: 'deliveries:replay' },
      { name: 'deliveries retry now with tenantId', method: 'POST', path: `/v1/deliveries/${deliveryId}/retry-now?tenantId=${A}`, scope: 'deliveries:replay' },
      { name: 'endpoints delete', method: 'DELETE', path: `${ep}/${endpointId}` },
      { name: 'tenant settings get', method: 'GET', path: `/v1/tenants/${A}/settings` },
      { name: 'tenant settings put', method: 'PUT', path: `/v1/tenants/${A}/settings`, body: { logRetentionDays: 1 } },
      { name: 'event types list', method: 'GET', path: `/v1/tenants/${A}/event-types` },
      { name: 'event types get', method: 'GET', path: `/v1/tenants/${A}/event-types/ticket.created` },
      { name: 'event types versions', method: 'GET', path: `/v1/tenants/${A}/event-types/ticket.created/versions` },
      { name: 'event types create', method: 'POST', path: `/v1/tenants/${A}/event-types`, body: { name: 'order.taken', schema: { type: 'object' } } },
      {
        name: 'event types replace',
        method: 'PUT',
        path: `/v1/tenants/${A}/event-types/order.shipped`,
        body: { description: 'x', schema: { type: 'object' } },
      },
      { name: 'event types patch', method: 'PATCH', path: `/v1/tenants/${A}/event-types/ticket.created`, body: { schemaMode: 'enforce' } },
      { name: 'rules create', method: 'POST', path: `/v1/tenants/${A}/rules`, body: ruleBody() },
      { name: 'rules list', method: 'GET', path: `/v1/tenants/${A}/rules` },
      { name: 'rules get', method: 'GET', path: `/v1/tenants/${A}/rules/${ruleId}` },
      { name: 'rules replace', method: 'PUT', path: `/v1/tenants/${A}/rules/${ruleId}`, body: ruleBody() },
      { name: 'rules patch', method: 'PATCH', path: `/v1/tenants/${A}/rules/${ruleId}`, body: { enabled: false } },
      { name: 'rules trial', method: 'POST', path: `/v1/tenants/${A}/rules/${ruleId}/trial`, body: { mode: 'live' } },
      { name: 'rules delete', method: 'DELETE', path: `/v1/tenants/${A}/rules/${ruleId}` },
      { name: 'action contracts create', method: 'POST', path: ac, body: { ...contractBody(), name: 'taken.over' } },
      { name: 'action contracts list', method: 'GET', path: ac },
      { name: 'action contracts get', method: 'GET', path: `${ac}/${contractId}` },
      { name: 'action contracts replace', method: 'PUT', path: `${ac}/${contractId}`, body: { ...contractBody(), description: 'taken over' } },
      { name: 'action contracts secret', method: 'GET', path: `${ac}/${contractId}/secret` },
      { name: 'action contracts invoke', method: 'POST', path: `${ac}/${contractId}/invoke`, body: { input: {} } },
      { name: 'action contracts invocations', method: 'GET', path: `${ac}/${contractId}/invocations` },
      { name: 'action contracts delete', method: 'DELETE', path: `${ac}/${contractId}` },
      { name: 'inbound sources create', method: 'POST', path: is, body: { ...sourceBody(), name: 'taken over' } },
      { name: 'inbound sources list', method: 'GET', path: is },
      { name: 'inbound sources get', method: 'GET', path: `${is}/${sourceId}` },
      { name: 'inbound sources replace', method: 'PUT', path: `${is}/${sourceId}`, body: { ...sourceBody(), enabled: false } },
      { name: 'inbound sources log', method: 'GET', path: `${is}/${sourceId}/log` },
      { name: 'inbound sources delete', method: 'DELETE', path: `${is}/${sourceId}` },
      { name: 'deliveries list', method: 'GET', path: `/v1/deliveries?tenantId=${A}` },
      { name: 'deliveries get', method: 'GET', path: `/v1/deliveries/${deliveryId}` },
      { name: 'deliveries get with tenantId', method: 'GET', path: `/v1/deliveries/${deliveryId}?tenantId=${A}` },
      { name: 'events get', method: 'GET', path: '/v1/events/evt_1' },
      { name: 'events get with tenantId', method: 'GET', path: `/v1/events/evt_1?tenantId=${A}` },
      { name: 'api-keys create', method: 'POST', path: '/v1/api-keys', body: { name: 'x', tenantId: A, scopes: ['admin'] } },
      { name: 'api-keys revoke', method: 'DELETE', path: `/v1/api-keys/${keyA.id}` },
    ];
  }, 60_000);
  afterAll(() => api?.close());

  it("answers 404 to another tenant's key on every route touching the tenant, and changes nothing", async () => {
    const answers = [];
    for (const r of routes) answers.push({ route: r.name, status: (await api.call(r.method, r.path, { token: keyB.key, body: r.body })).status });
    expect(answers).toEqual(routes.map((r) => ({ route: r.name, status: 404 })));
    const endpoint = await api.call<{ description: string; signingKeys: { keyId: string }[] }>('GET', `/v1/tenants/${A}/endpoints/${endpointId}`, {
      token: keyA.key,
    });
    expect(endpoint.status).toBe(200);
    expect(endpoint.body.description).not.toBe('taken over');
    expect((endpoint.body as unknown as { state: { state: string } }).state.state).toBe('enabled');
    expect(endpoint.body.signingKeys.map((k) => k.keyId)).toEqual([signingKeyId]);
    expect((await api.call<{ secrets: string[] }>('GET', `/v1/tenants/${A}/endpoints/${endpointId}/secret`, { token: keyA.key })).body.secrets).toHaveLength(1);
    expect((await api.call('GET', '/v1/api-keys', { token: keyA.key })).status).toBe(200);
    expect((await api.call('GET', `/v1/tenants/${A}/settings`, { token: keyA.key })).body).toMatchObject({ logRetentionDays: null });
    expect((await api.call<{ data: unknown[] }>('GET', `/v1/tenants/${A}/recovery-jobs`, { token: keyA.key })).body).toMatchObject({ data: [{ id: jobId }] });
    expect(api.produced.filter((p) => p.topic === 'hookline.deliveries.requested.v1')).toEqual([]);
    expect((await api.call('GET', `/v1/tenants/${A}/event-types/ticket.created`, { token: keyA.key })).body).toMatchObject({ schemaMode: 'off' });
    expect((await api.call('GET', `/v1/tenants/${A}/event-types/order.taken`, { token: keyA.key })).status).toBe(404);
    expect(api.produced.filter((p) => p.topic === 'hookline.event-types.changed.v1')).toEqual([]);
    expect((await api.call('GET', `/v1/tenants/${A}/rules/${ruleId}`, { token: keyA.key })).body).toMatchObject({ version: 1, enabled: true });
    expect((await api.call('GET', `/v1/tenants/${A}/action-contracts/${contractId}`, { token: keyA.key })).body).toMatchObject({ version: 1, description: '' });
    expect((await api.call<{ data: unknown[] }>('GET', `/v1/tenants/${A}/action-contracts/${contractId}/invocations`, { token: keyA.key })).body.data).toEqual(
      [],
    );
    expect((await api.call('GET', `/v1/tenants/${A}/inbound-sources/${sourceId}`, { token: keyA.key })).body).toMatchObject({ enabled: true, version: 1 });
  });

  it('answers 403 naming the scope to a key of the right tenant lacking it, on every route', async () => {
    const replayOnly = await createKey(A, ['deliveries:replay'], keyA.key);
    const readOnly = await createKey(A, ['deliveries:read'], keyA.key);
    const answers = [];
    for (const r of routes) {
      const res = await api.call(r.method, r.path, { token: r.scope === 'deliveries:replay' ? readOnly.key : replayOnly.key, body: r.body });
      answers.push({
        route: r.name,
        status: res.status,
        error: res.body?.error,
        message: typeof res.body?.message,
        hasScope: typeof res.body?.missingScope === 'string',
      });
    }
    expect(answers).toEqual(routes.map((r) => ({ route: r.name, status: 403, error: 'forbidden', message: 'string', hasScope: true })));
  });

  it('answers 401 without a key, with a made-up key, and with a revoked key', async () => {
    expect(await api.call('GET', '/v1/api-keys')).toMatchObject({ status: 401, body: { error: 'unauthorized', message: expect.any(String) } });
    expect((await api.call('GET', '/v1/api-keys', { token: 'hl_global_made-up' })).status).toBe(401);
    const doomed = await createKey(A, ['admin'], keyA.key);
    expect((await api.call('GET', `/v1/tenants/${A}/endpoints`, { token: doomed.key })).status).toBe(200);
    expect((await api.call('DELETE', `/v1/api-keys/${doomed.id}`, { token: keyA.key })).status).toBe(204);
    expect((await api.call('GET', `/v1/tenants/${A}/endpoints`, { token: doomed.key })).status).toBe(401);
    expect((await api.call('DELETE', `/v1/api-keys/${doomed.id}`, { token: keyA.key })).status).toBe(404);
  });

  it('tells any live key what it is: its tenant, scopes and roles, never the key', async () => {
    const reader = await api.call<{ id: string; key: string }>('POST', '/v1/api-keys', {
      token: keyA.key,
      body: { name: 'support desk', tenantId: A, scopes: ['endpoints:read', 'deliveries:read'], roles: ['support'] },
    });
    const current = await api.call('GET', '/v1/api-keys/current', { token: reader.body.key });
    expect(current).toEqual({ status: 200, body: { id: reader.body.id, tenantId: A, scopes: ['endpoints:read', 'deliveries:read'], roles: ['support'] } });
    expect(await api.call('GET', '/v1/api-keys/current', { token: TOKEN })).toEqual({
      status: 200,
      body: { id: expect.any(String), tenantId: null, scopes: ['admin'], roles: [] },
    });
    expect((await api.call('GET', '/v1/api-keys/current')).status).toBe(401);
    expect((await api.call('GET', '/v1/api-keys/current', { token: 'hl_global_made-up' })).status).toBe(401);
  });

  it("lists only the key's own tenant: deliveries without a filter, and API keys, never the key itself", async () => {
    expect((await api.call<{ data: unknown[] }>('GET', '/v1/deliveries', { token: keyB.key })).body.data).toEqual([]);
    expect((await api.call<{ data: { tenantId: string }[] }>('GET', '/v1/deliveries', { token: keyA.key })).body.data.map((d) => d.tenantId)).toEqual([A]);
    const keys = await api.call<{ data: { tenantId: string }[] }>('GET', '/v1/api-keys', { token: keyB.key });
    expect(keys.body.data.map((k) => k.tenantId)).toEqual([B]);
    expect(JSON.stringify(keys.body)).not.toContain(keyB.key);
  });

  it('tells what retry-scheduler holds next for one delivery: a due attempt, a held one, or nothing; the list never says', async () => {
    const get = async () => (await api.call<{ id: string; nextAttempt: unknown }>('GET', `/v1/deliveries/${deliveryId}`, { token: keyA.key })).body.nextAttempt;
    const schedule = (attempt: number, dueAt: string | null) =>
      database.db.query(
        `INSERT INTO retry_schedule (delivery_id, next_attempt, due_at, tenant_id, endpoint_id, request) VALUES ($1, $2, $3, $4, $5, '{}')
         ON CONFLICT (delivery_id) DO UPDATE SET next_attempt = excluded.next_attempt, due_at = excluded.due_at`,
        [deliveryId, attempt, dueAt, A, endpointId],
      );
    try {
      expect(await get()).toBeNull();
      await schedule(3, '2026-11-22T10:05:00.000Z');
      expect(await get()).toEqual({ attempt: 3, dueAt: '2026-11-22T10:05:00.000Z', held: false });
      const list = await api.call<{ data: { id: string }[] }>('GET', '/v1/deliveries', { token: keyA.key });
      expect(list.body.data.map((d) => d.id)).toEqual([deliveryId]);
      expect(list.body.data[0]).not.toHaveProperty('nextAttempt');
      await schedule(4, null);
      expect(await get()).toEqual({ attempt: 4, dueAt: null, held: true });
      expect((await api.call('GET', `/v1/deliveries/${deliveryId}?tenantId=${B}`, { token: TOKEN })).status).toBe(404);
    } finally {
      await database.db.query(`DELETE FROM retry_schedule WHERE delivery_id = $1`, [deliveryId]);
    }
    expect(await get()).toBeNull();
  });

  it('grants exactly the scopes a key carries; a tenant key never mints a global key', async () => {
    const reader = await createKey(A, ['endpoints:read'], keyA.key);
    expect((await api.call('GET', `/v1/tenants/${A}/endpoints`, { token: reader.key })).status).toBe(200);
    expect(await api.call('PATCH', `/v1/tenants/${A}/endpoints/${endpointId}`, { token: reader.key, body: { description: 'no' } })).toMatchObject({
      status: 403,
      body: { error: 'forbidden', missingScope: 'endpoints:write' },
    });
    const own = await createKey(undefined, ['endpoints:read'], keyB.key);
    expect(own.tenantId).toBe(B);
    const global = await createKey(undefined, ['endpoints:read']);
    expect(global.tenantId).toBeNull();
    expect((await api.call('GET', `/v1/tenants/${B}/endpoints`, { token: global.key })).status).toBe(200);
    expect((await api.call('POST', '/v1/api-keys', { token: global.key, body: { name: 'x', scopes: ['admin'] } })).status).toBe(403);
  });

  it.each([
    ['a URL that is not a URL', 'POST', `/v1/tenants/${A}/endpoints`, { url: 'hooks' }, 'url', 'must be an absolute URL'],
    ['an unknown field', 'POST', `/v1/tenants/${A}/endpoints`, { url: 'https://x.example.com', colour: 'red' }, '(root)', 'unknown field(s): colour'],
    ['a timeout out of range', 'PATCH', 'ENDPOINT', { timeoutMs: 5 }, 'timeoutMs', 'must be 1000-30000 ms'],
    ['a repeated scheme', 'PATCH', 'ENDPOINT', { signatureSchemes: ['v1', 'v1'] }, 'signatureSchemes', 'must not list a scheme twice'],
    ['an overlap over a week', 'POST', 'ENDPOINT/secret/rotate', { overlapHours: 200 }, 'overlapHours', 'must be 0-168 hours'],
    [
      'a modulus for an ed25519 key',
      'POST',
      'ENDPOINT/keys',
      { algorithm: 'ed25519', modulusLength: 2048 },
      'modulusLength',
      'applies to rsa-sha256 keys only',
    ],
    ['an unknown scope', 'POST', '/v1/api-keys', { name: 'x', scopes: ['everything'] }, 'scopes.0', 'must be one of'],

    ['a limit over 100', 'GET', `/v1/tenants/${A}/endpoints?limit=500`, undefined, 'limit', 'must be 1-100'],
    ['a made-up cursor', 'GET', `/v1/tenants/${A}/endpoints?cursor=nope`, undefined, 'cursor', 'must be a cursor returned by a previous page'],
    ['an unknown status filter', 'GET', '/v1/deliveries?status=lost', undefined, 'status', ''],
  ])('answers 400 validation_failed naming the field to %s', async (_name, method, path, body, field, rule) => {
    const res = await api.call(method, path.replace('ENDPOINT', `/v1/tenants/${A}/endpoints/${endpointId}`), { token: keyA.key, body });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error: 'validation_failed',
      message: expect.stringContaining(`${field}: `),
      issues: expect.arrayContaining([{ field, rule: expect.stringContaining(rule) }]),
    });
  });

  it('answers 400 naming tenantId to a global key on a tenant id that breaks its rule (a tenant key gets 404 first)', async () => {
    expect(await api.call('GET', '/v1/tenants/has%20space/endpoints', { token: TOKEN })).toMatchObject({
      status: 400,
      body: { issues: [{ field: 'tenantId' }] },
    });
    expect((await api.call('GET', '/v1/tenants/has%20space/endpoints', { token: keyA.key })).status).toBe(404);
  });

  it('answers 422 target_refused naming the url for a target Hookline must never call', async () => {
    const res = await api.call('POST', `/v1/tenants/${A}/endpoints`, { token: keyA.key, body: { url: 'https://169.254.169.254/latest' } });
    expect(res).toMatchObject({ status: 422, body: { error: 'target_refused', issues: [{ field: 'url', rule: expect.any(String) }] } });
  });

  it.each([
    ['an endpoint id that is no UUID', `/v1/tenants/${A}/endpoints/nope`],
    ['an unknown endpoint', `/v1/tenants/${A}/endpoints/5b7c7a0e-8a3c-4d0e-9a53-1f6f2a4e9c11`],
    ['an unknown signing key', 'ENDPOINT/keys/nope'],
    ['an unknown delivery', '/v1/deliveries/6c8d8b1f-9b4d-4e1f-8b64-2a7a3b5f0d22'],
    ['a route that does not exist', '/v1/nothing-here'],
  ])('answers 404 not_found to %s', async (_name, path) => {
    const method = path.includes('/keys/') ? 'DELETE' : 'GET';
    const res = await api.call(method, path.replace('ENDPOINT', `/v1/tenants/${A}/endpoints/${endpointId}`), { token: keyA.key });
    expect(res).toEqual({ status: 404, body: { error: 'not_found', message: expect.any(String) } });
  });

  it('replays a stored 400 with its error body under the same Idempotency-Key, without running the route again', async () => {
    const ask = async () => {
      const res = await fetch(`${api.url}/v1/tenants/${A}/endpoints`, {
        method: 'POST',
        headers: { authorization: `Bearer ${keyA.key}`, 'content-type': 'application/json', 'idempotency-key': 'bad-url-once' },
        body: JSON.stringify({ url: 'hooks' }),
      });
      return { status: res.status, replayed: res.headers.get('idempotent-replayed'), body: (await res.json()) as unknown };
    };
    const first = await ask();
    const again = await ask();
    expect(first).toMatchObject({ status: 400, replayed: null, body: { error: 'validation_failed', issues: [{ field: 'url' }] } });
    expect(again).toEqual({ ...first, replayed: 'true' });
  });

  it('answers 400 invalid_json to a body that is not JSON, and 413 to one over the limit', async () => {
    expect(await api.call('POST', `/v1/tenants/${A}/endpoints`, { token: keyA.key, rawBody: '{"url": ' })).toEqual({
      status: 400,
      body: { error: 'invalid_json', message: expect.stringMatching(/^the body is not valid JSON/) },
    });
    const huge = JSON.stringify({ url: 'https://x.example.com', description: 'x'.repeat(2 * 1024 * 1024) });
    expect(await api.call('POST', `/v1/tenants/${A}/endpoints`, { token: keyA.key, rawBody: huge })).toMatchObject({
      status: 413,
      body: { error: 'payload_too_large' },
    });
  });
});
