import { freshDatabase, type InProcessService } from '@hookline/testing';
import { randomBytes } from 'node:crypto';
import { startAdminApi } from './admin-api.fixtures';

/**
 * The operator's views of the delivery log over HTTP, in process on a real
 * PostgreSQL with rows written as log-store writes them: one event with its
 * deliveries and attempts, and an endpoint's health. Who may see what, and
 * what a bad request is told.
 */
describe('delivery-log routes: GET /v1/events/:id and GET …/endpoints/:id/stats', () => {
  const database = freshDatabase();
  const TOKEN = `admin-token-${randomBytes(8).toString('hex')}`;
  const A = 'log-a';
  const B = 'log-b';
  const DELIVERY = '0d2f4c7e-1111-4222-8333-000000000a01';
  let api: InProcessService;
  let keyA: string;
  let keyB: string;
  let endpointA: string;
  let endpointB: string;
  const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);
  const tenMinutesAgo = minutesAgo(10);
  const fiveMinutesAgo = minutesAgo(5);

  const createKey = async (tenantId: string | undefined, scopes: string[]) => {
    const res = await api.call<{ key: string }>('POST', '/v1/api-keys', { token: TOKEN, body: { name: 'k', tenantId, scopes } });
    expect(res.status).toBe(201);
    return res.body.key;
  };
  const createEndpoint = async (tenantId: string) => {
    const res = await api.call<{ id: string }>('POST', `/v1/tenants/${tenantId}/endpoints`, { token: TOKEN, body: { url: 'https://hooks.example.com/in' } });
    expect(res.status).toBe(201);
    return res.body.id;
  };

  beforeAll(async () => {
    api = await startAdminApi(database.url, TOKEN);
    keyA = await createKey(A, ['admin']);
    keyB = await createKey(B, ['admin']);
    endpointA = await createEndpoint(A);
    endpointB = await createEndpoint(B);

    // The same event id in both tenants: ids are unique within a tenant only.
    for (const tenant of [A, B]) {
      await database.db.query(
        `INSERT INTO events (tenant_id, id, type, data, occurred_at, received_at) VALUES ($1, 'evt_1', 'invoice.paid', $2, '2026-11-22T09:59:00Z', '2026-11-22T10:00:00.123Z')`,
        [tenant, JSON.stringify({ invoiceId: `inv_${tenant}` })],
      );
    }
    await database.db.query(
      `INSERT INTO deliveries (id, tenant_id, event_id, endpoint_id, event_type, status, attempt_count, last_attempt_at, last_response_status, created_at)
       VALUES ($1, $2, 'evt_1', $3, 'invoice.paid', 'succeeded', 2, $4, 200, $5)`,
      [DELIVERY, A, endpointA, fiveMinutesAgo, tenMinutesAgo],
    );
    const sent = { 'webhook-id': 'evt_1', 'webhook-signature': 'v1,c2lnbmF0dXJl', Authorization: 'Bearer receiver-secret-value', 'X-Team': 'billing' };
    const attempt = `INSERT INTO attempts (id, delivery_id, tenant_id, endpoint_id, attempt_number, url, succeeded, failure_kind, failure_message,
                                           request_headers, response_status, response_headers, response_body, response_body_truncated, duration_ms, started_at)
                     VALUES ($1, $2, $3, $4, $5, 'https://hooks.example.com/in', $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`;
    await database.db.query(attempt, [
      '0d2f4c7e-1111-4222-8333-000000000b02',
      DELIVERY,
      A,
      endpointA,
      2,
      true,
      null,
      null,
      JSON.stringify(sent),
      200,
      JSON.stringify({ 'content-type': 'text/plain' }),
      'ok',
      false,
      100,
      fiveMinutesAgo,
    ]);
    await database.db.query(attempt, [
      '0d2f4c7e-1111-4222-8333-000000000b01',
      DELIVERY,
      A,
      endpointA,
      1,
      false,
      'http_status',
      'HTTP 500',
      JSON.stringify(sent),
      500,
      JSON.stringify({ 'content-type': 'text/plain' }),
      'x'.repeat(4096),
      true,
      300,
      tenMinutesAgo,
    ]);
  }, 60_000);
  afterAll(() => api?.close());

  const attemptView = (n: number, at: Date, ok: boolean) => ({
    id: `0d2f4c7e-1111-4222-8333-000000000b0${n}`,
    attempt: n,
    url: 'https://hooks.example.com/in',
    succeeded: ok,
    failure: ok ? null : { kind: 'http_status', message: 'HTTP 500' },
    request: { headers: { 'webhook-id': 'evt_1', 'webhook-signature': 'v1,c2lnbmF0dXJl', Authorization: '[redacted]', 'X-Team': 'billing' } },
    response: ok
      ? { status: 200, headers: { 'content-type': 'text/plain' }, body: 'ok', bodyTruncated: false }
      : { status: 500, headers: { 'content-type': 'text/plain' }, body: 'x'.repeat(4096), bodyTruncated: true },
    durationMs: ok ? 100 : 300,
    startedAt: at.toISOString(),
    replay: null,
  });

  it('shows the event with each delivery and every attempt in order, request headers without the receiver credential', async () => {
    const res = await api.call('GET', '/v1/events/evt_1', { token: await createKey(A, ['deliveries:read']) });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      id: 'evt_1',
      type: 'invoice.paid',
      tenantId: A,
      occurredAt: '2026-11-22T09:59:00.000Z',
      receivedAt: '2026-11-22T10:00:00.123Z',
      data: { invoiceId: `inv_${A}` },
      schemaViolations: null,
      deliveries: [
        {
          id: DELIVERY,
          tenantId: A,
          eventId: 'evt_1',
          endpointId: endpointA,
          eventType: 'invoice.paid',
          status: 'succeeded',
          mode: 'live',
          attemptCount: 2,
          lastAttemptAt: fiveMinutesAgo.toISOString(),
          lastResponseStatus: 200,
          rule: null,
          createdAt: tenMinutesAgo.toISOString(),
          attempts: [attemptView(1, tenMinutesAgo, false), attemptView(2, fiveMinutesAgo, true)],
        },
      ],
    });
    expect(JSON.stringify(res.body)).not.toContain('receiver-secret-value');
  });

  it("shows a tenant key its own tenant's event of an id, never another tenant's", async () => {
    const own = await api.call<{ tenantId: string; data: unknown; deliveries: unknown[] }>('GET', '/v1/events/evt_1', { token: keyB });
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ tenantId: B, data: { invoiceId: `inv_${B}` }, deliveries: [] });
    expect((await api.call('GET', `/v1/events/evt_1?tenantId=${A}`, { token: keyB })).status).toBe(404);
    expect((await api.call('GET', `/v1/events/evt_1?tenantId=${B}`, { token: keyB })).status).toBe(200);
  });

  it('lets a global key see any tenant it names, and asks it to name one', async () => {
    const named = await api.call<{ tenantId: string }>('GET', `/v1/events/evt_1?tenantId=${B}`, { token: TOKEN });
    expect(named).toMatchObject({ status: 200, body: { tenantId: B } });
    expect(await api.call('GET', '/v1/events/evt_1', { token: TOKEN })).toEqual({
      status: 400,
      body: {
        error: 'validation_failed',
        message: expect.stringContaining('tenantId: '),
        issues: [{ field: 'tenantId', rule: expect.stringContaining('required') }],
      },
    });
  });

  it("shows an endpoint's health: attempts, success, latency percentiles, deliveries, last error and the run of failures", async () => {
    const res = await api.call('GET', `/v1/tenants/${A}/endpoints/${endpointA}/stats`, { token: await createKey(A, ['endpoints:read']) });
    expect(res.status).toBe(200);
    // Durations 300 and 100: p at 100 + p × 200 (rank p × 1 between the two).
    const window = {
      attempts: { total: 2, succeeded: 1, failed: 1 },
      successRate: 0.5,
      latencyMs: { p50: 200, p95: 290, p99: 298 },
      deliveries: { total: 1, pending: 0, failing: 0, succeeded: 1, dead: 0, successRate: 1 },
    };
    // The series: the clock hour of the answer's `at` and the 23 before it; the two attempts may fall either side of an hour.
    const HOUR = 3_600_000;
    const from = Math.floor(Date.parse((res.body as { at: string }).at) / HOUR) * HOUR - 23 * HOUR;
    const series = Array.from({ length: 24 }, (_, i) => ({ start: new Date(from + i * HOUR).toISOString(), attempts: 0, succeeded: 0, failed: 0 }));
    for (const [at, succeeded] of [
      [tenMinutesAgo, false],
      [fiveMinutesAgo, true],
    ] as const) {
      const hour = series[Math.floor((at.getTime() - from) / HOUR)];
      hour.attempts++;
      if (succeeded) hour.succeeded++;
      else hour.failed++;
    }
    expect(res.body).toEqual({
      endpointId: endpointA,
      tenantId: A,
      at: expect.any(String),
      lastHour: window,
      lastDay: window,
      series,
      lastError: { at: tenMinutesAgo.toISOString(), kind: 'http_status', status: 500, message: 'HTTP 500' },
      consecutiveFailures: 0,
    });
  });

  it('shows an endpoint without a log as zeros and nulls', async () => {
    const res = await api.call('GET', `/v1/tenants/${B}/endpoints/${endpointB}/stats`, { token: keyB });
    const window = {
      attempts: { total: 0, succeeded: 0, failed: 0 },
      successRate: null,
      latencyMs: null,
      deliveries: { total: 0, pending: 0, failing: 0, succeeded: 0, dead: 0, successRate: null },
    };
    expect(res).toEqual({
      status: 200,
      body: {
        endpointId: endpointB,
        tenantId: B,
        at: expect.any(String),
        lastHour: window,
        lastDay: window,
        series: Array.from({ length: 24 }, () => ({ start: expect.any(String), attempts: 0, succeeded: 0, failed: 0 })),
        lastError: null,
        consecutiveFailures: 0,
      },
    });
  });

  it.each([
    ['the event view to a key without deliveries:read', 'GET', '/v1/events/evt_1', ['endpoints:read'], 'deliveries:read'],
    ['the stats to a key without endpoints:read', 'GET', `/v1/tenants/${A}/endpoints/ENDPOINT/stats`, ['deliveries:read'], 'endpoints:read'],
  ])('answers 403 naming the scope to %s', async (_name, method, path, scopes, missingScope) => {
    const res = await api.call(method, path.replace('ENDPOINT', endpointA), { token: await createKey(A, scopes) });
    expect(res).toMatchObject({ status: 403, body: { error: 'forbidden', missingScope } });
  });

  it.each([
    ['another tenant named in the stats path', () => `/v1/tenants/${B}/endpoints/${endpointA}/stats`, () => keyA],
    ["another tenant's endpoint under the key's own tenant", () => `/v1/tenants/${A}/endpoints/${endpointB}/stats`, () => keyA],
    ['an endpoint id that is no UUID', () => `/v1/tenants/${A}/endpoints/nope/stats`, () => keyA],
    ['an unknown endpoint', () => `/v1/tenants/${A}/endpoints/5b7c7a0e-8a3c-4d0e-9a53-1f6f2a4e9c11/stats`, () => keyA],
    ['an unknown event', () => '/v1/events/evt_404', () => keyA],
    ['an event id no event can have', () => `/v1/events/${encodeURIComponent('evt 1/..')}`, () => keyA],
    ['an event id over 128 characters', () => `/v1/events/${'e'.repeat(129)}`, () => keyA],
  ])('answers 404 not_found to %s', async (_name, path, key) => {
    expect(await api.call('GET', path(), { token: key() })).toEqual({ status: 404, body: { error: 'not_found', message: expect.any(String) } });
  });

  it('answers 404 to the stats of a deleted endpoint', async () => {
    const doomed = await createEndpoint(A);
    expect((await api.call('DELETE', `/v1/tenants/${A}/endpoints/${doomed}`, { token: keyA })).status).toBe(204);
    expect((await api.call('GET', `/v1/tenants/${A}/endpoints/${doomed}/stats`, { token: keyA })).status).toBe(404);
  });

  it.each([
    ['a tenant id that breaks its rule', '/v1/events/evt_1?tenantId=has%20space', 'tenantId', 'must be 1-64 characters'],
    ['an unknown query field on the event view', `/v1/events/evt_1?tenantId=${A}&colour=red`, '(root)', 'unknown field(s): colour'],
    ['a tenant id repeated in the query', `/v1/events/evt_1?tenantId=${A}&tenantId=${B}`, 'tenantId', ''],
    [
      'a tenant id in the path that breaks its rule',
      '/v1/tenants/has%20space/endpoints/5b7c7a0e-8a3c-4d0e-9a53-1f6f2a4e9c11/stats',
      'tenantId',
      'must be 1-64',
    ],
    ['an unknown query field on the stats', `/v1/tenants/${A}/endpoints/ENDPOINT/stats?window=1h`, '(root)', 'unknown field(s): window'],
  ])('answers 400 validation_failed naming the field to %s', async (_name, path, field, rule) => {
    const res = await api.call('GET', path.replace('ENDPOINT', endpointA), { token: TOKEN });
    expect(res).toEqual({
      status: 400,
      body: {
        error: 'validation_failed',
        message: expect.stringContaining(`${field}: `),
        issues: expect.arrayContaining([{ field, rule: expect.stringContaining(rule) }]),
      },
    });
  });
});
