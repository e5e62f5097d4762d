import { freshDatabase, type InProcessService } from '@hookline/testing';
import { randomBytes } from 'node:crypto';
import { startAdminApi } from '../../admin-api.fixtures';

/**
 * `GET /v1/deliveries` over HTTP on a real PostgreSQL, against a log of 240
 * deliveries spread over two tenants, three endpoints, three event types,
 * every status and both modes, with many deliveries sharing one millisecond.
 * Every answer is checked against the same rows filtered and ordered here
 * (created_at DESC, id DESC), walked page by page through the cursor: the
 * whole expected list, in order, no row twice and none missing.
 */
describe('GET /v1/deliveries filters and pages', () => {
  const database = freshDatabase();
  const TOKEN = `admin-token-${randomBytes(8).toString('hex')}`;
  const TENANTS = ['filters-a', 'filters-b'];
  const ENDPOINTS = ['5b7c7a0e-8a3c-4d0e-9a53-0000000000e1', '5b7c7a0e-8a3c-4d0e-9a53-0000000000e2', '5b7c7a0e-8a3c-4d0e-9a53-0000000000e3'];
  const TYPES = ['invoice.paid', 'invoice.voided', 'ticket.created'];
  const STATUSES = ['pending', 'failing', 'succeeded', 'dead'];
  const BASE = Date.parse('2026-11-20T00:00:00.000Z');

  interface Row {
    id: string;
    tenantId: string;
    eventId: string;
    endpointId: string;
    eventType: string;
    status: string;
    mode: string;
    createdAt: string;
  }
  const rows: Row[] = [];
  let api: InProcessService;

  beforeAll(async () => {
    api = await startAdminApi(database.url, TOKEN);
    for (let n = 0; n < 240; n++) {
      // Co-prime strides so that every combination of the attributes occurs; times repeat every 37 rows (ties at one millisecond).
      const row: Row = {
        id: `0d2f4c7e-2222-4222-8333-${(n * 7919).toString(16).padStart(12, '0')}`,
        tenantId: TENANTS[n % 2],
        eventId: `evt_${n % 60}`,
        endpointId: ENDPOINTS[n % 3],
        eventType: TYPES[Math.floor(n / 5) % 3],
        status: STATUSES[Math.floor(n / 7) % 4],
        mode: n % 11 === 0 ? 'test' : 'live',
        createdAt: new Date(BASE + (n % 37) * 60_000).toISOString(),
      };
      rows.push(row);
    }
    await database.db.query(
      `INSERT INTO deliveries (id, tenant_id, event_id, endpoint_id, event_type, status, mode, created_at)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::uuid[], $5::text[], $6::text[], $7::text[], $8::timestamptz[])`,
      [
        rows.map((r) => r.id),
        rows.map((r) => r.tenantId),
        rows.map((r) => r.eventId),
        rows.map((r) => r.endpointId),
        rows.map((r) => r.eventType),
        rows.map((r) => r.status),
        rows.map((r) => r.mode),
        rows.map((r) => r.createdAt),
      ],
    );
  }, 60_000);
  afterAll(() => api?.close());

  const newestFirst = (a: Row, b: Row) => (a.createdAt === b.createdAt ? (a.id < b.id ? 1 : -1) : a.createdAt < b.createdAt ? 1 : -1);

  /** The ids the log should list for a query, in order. */
  function expected(query: Record<string, string>): string[] {
    return rows
      .filter(
        (r) =>
          r.mode === (query.mode ?? 'live') &&
          (!query.tenantId || r.tenantId === query.tenantId) &&
          (!query.endpointId || r.endpointId === query.endpointId) &&
          (!query.eventId || r.eventId === query.eventId) &&
          (!query.eventType || r.eventType === query.eventType) &&
          (!query.status || r.status === query.status) &&
          (!query.since || r.createdAt >= query.since) &&
          (!query.until || r.createdAt < query.until),
      )
      .sort(newestFirst)
      .map((r) => r.id);
  }

  /** Every page of a query, following nextCursor to the end. */
  async function walk(query: Record<string, string>, limit: number, token = TOKEN): Promise<{ ids: string[]; pages: number; views: Row[] }> {
    const views: Row[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const params: URLSearchParams = new URLSearchParams({ ...query, limit: String(limit), ...(cursor ? { cursor } : {}) });
      const res: { status: number; body: { data: Row[]; nextCursor: string | null } } = await api.call<{ data: Row[]; nextCursor: string | null }>(
        'GET',
        `/v1/deliveries?${params}`,
        { token },
      );
      expect(res.status).toBe(200);
      expect(res.body.data.length).toBeLessThanOrEqual(limit);
      views.push(...res.body.data);
      cursor = res.body.nextCursor;
      pages++;
      expect(pages).toBeLessThan(300);
    } while (cursor);
    return { ids: views.map((v) => v.id), pages, views };
  }

  const [A, B] = TENANTS;
  const [E1, E2] = ENDPOINTS;
  const T = (minute: number) => new Date(BASE + minute * 60_000).toISOString();
  const queries: [string, Record<string, string>][] = [
    ['tenant only', { tenantId: A }],
    ['endpoint', { tenantId: A, endpointId: E1 }],
    ['event id', { tenantId: B, eventId: 'evt_7' }],
    ['event type', { tenantId: A, eventType: 'invoice.voided' }],
    ['status dead', { tenantId: A, status: 'dead' }],
    ['status failing', { tenantId: B, status: 'failing' }],
    ['status succeeded', { tenantId: B, status: 'succeeded' }],
    ['status pending', { tenantId: A, status: 'pending' }],
    ['since (inclusive)', { tenantId: A, since: T(20) }],
    ['until (exclusive)', { tenantId: B, until: T(5) }],
    ['time range', { tenantId: A, since: T(3), until: T(30) }],
    ['endpoint + status', { tenantId: B, endpointId: E2, status: 'dead' }],
    ['event type + status + time range', { tenantId: A, eventType: 'ticket.created', status: 'failing', since: T(2), until: T(33) }],
    ['endpoint + event type + time range', { tenantId: B, endpointId: E1, eventType: 'invoice.paid', since: T(10) }],
    ['every filter', { tenantId: A, endpointId: ENDPOINTS[2], eventId: 'evt_14', eventType: 'ticket.created', status: 'dead', since: T(0), until: T(37) }],
    ['test mode', { tenantId: A, mode: 'test' }],
    ['test mode + status', { tenantId: B, mode: 'test', status: 'pending' }],
    ['test mode + endpoint', { tenantId: A, mode: 'test', endpointId: E2 }],
    ['all tenants (a global key naming none)', {}],
    ['all tenants + status', { status: 'dead' }],
  ];

  it.each(queries)('lists %s: exactly the matching deliveries, newest first, across pages', async (_name, query) => {
    const want = expected(query);
    const { ids, pages } = await walk(query, 7);
    expect(ids).toEqual(want);
    expect(new Set(ids).size).toBe(ids.length);
    expect(pages).toBe(Math.max(1, Math.ceil(want.length / 7)));
  });

  it('has data behind every case above: no query is empty by accident, the broad ones need many pages', () => {
    for (const [, query] of queries) expect(expected(query).length).toBeGreaterThan(0);
    expect(expected({ tenantId: A }).length).toBeGreaterThan(100);
  });

  it('keeps the two modes apart: live by default, test only when asked, each delivery showing its mode', async () => {
    const live = await walk({ tenantId: A }, 100);
    const test = await walk({ tenantId: A, mode: 'test' }, 100);
    expect(live.views.every((v) => v.mode === 'live')).toBe(true);
    expect(test.views.every((v) => v.mode === 'test')).toBe(true);
    expect(test.ids.length).toBeGreaterThan(0);
    expect([...live.ids, ...test.ids].sort()).toEqual(
      rows
        .filter((r) => r.tenantId === A)
        .map((r) => r.id)
        .sort(),
    );
    expect((await walk({ tenantId: A, mode: 'live' }, 100)).ids).toEqual(live.ids);
  });

  it("shows a tenant key only its own tenant's deliveries, whatever filter it sends", async () => {
    const created = await api.call<{ key: string }>('POST', '/v1/api-keys', { token: TOKEN, body: { name: 'b', tenantId: B, scopes: ['deliveries:read'] } });
    const keyB = created.body.key;
    expect((await walk({ status: 'dead' }, 9, keyB)).ids).toEqual(expected({ tenantId: B, status: 'dead' }));
    expect((await walk({ endpointId: E1 }, 9, keyB)).ids).toEqual(expected({ tenantId: B, endpointId: E1 }));
    expect((await api.call('GET', `/v1/deliveries?tenantId=${A}`, { token: keyB })).status).toBe(404);
  });

  it.each([
    ['mode', 'mode=staging', /live.*test/],
    ['status', 'status=exploded', /pending/],
    ['since', 'since=yesterday', /ISO 8601/],
    ['limit', 'limit=0', /1-100/],
    ['limit', 'limit=101', /1-100/],
    ['cursor', 'cursor=bm90LWEtY3Vyc29y', /cursor/],
    ['cursor', `cursor=${Buffer.from('2026-11-20T00:00:00.000Z|not-a-uuid').toString('base64url')}`, /cursor/],
    ['endpointId', 'endpointId=not-a-uuid', /./],
  ])('answers 400 naming %s to %s', async (field, query, rule) => {
    const res = await api.call<{ error: string; issues: { field: string; rule: string }[] }>('GET', `/v1/deliveries?tenantId=${A}&${query}`, { token: TOKEN });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('validation_failed');
    expect(res.body.issues).toEqual([{ field, rule: expect.stringMatching(rule) }]);
  });
});
