import { freshDatabase, type InProcessService } from '@hookline/testing';
import { randomBytes } from 'node:crypto';
import { startAdminApi } from '../admin-api.fixtures';

const TOPIC = 'hookline.rules.changed.v1';

/** `/v1/tenants/:tenantId/rules` over HTTP on a real PostgreSQL: what is stored and published to rules-engine, and what a bad rule is told. */
describe('rule routes', () => {
  const database = freshDatabase();
  const TOKEN = `admin-token-${randomBytes(8).toString('hex')}`;
  let api: InProcessService;
  let endpointId: string;
  const base = '/v1/tenants/acme/rules';
  const call = <T = Record<string, unknown>>(method: string, path: string, body?: unknown, token = TOKEN) => api.call<T>(method, path, { token, body });
  const published = (id: string) => api.produced.filter((p) => p.topic === TOPIC && p.key === id).map((p) => p.value as { version: number } | null);
  const vipRule = () => ({
    name: 'VIP tickets',
    trigger: { eventTypes: ['ticket.created'] },
    conditions: {
      all: [
        { path: 'data.priority', op: 'equals', value: 'high' },
        { path: 'data.customer.tier', op: 'in', value: ['gold', 'platinum'] },
      ],
    },
    actions: [{ type: 'deliver', endpointIds: [endpointId], transform: '{ "text": "VIP: " & data.subject }' }],
  });

  beforeAll(async () => {
    api = await startAdminApi(database.url, TOKEN);
    const endpoint = await call<{ id: string }>('POST', '/v1/tenants/acme/endpoints', { url: 'https://hooks.example.com/vip', eventTypes: ['invoice.*'] });
    endpointId = endpoint.body.id;
  }, 60_000);
  afterAll(() => api?.close());

  it('creates a rule with its actions keyed, publishes each version, and publishes a tombstone once it is deleted', async () => {
    const created = await call<{ id: string; actions: { key: string }[] }>('POST', base, vipRule());
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'VIP tickets', enabled: true, version: 1, actions: [{ key: '1', type: 'deliver', endpointIds: [endpointId] }] });
    const id = created.body.id;
    expect((await call('GET', `${base}/${id}`)).body).toEqual(created.body);

    const replaced = await call('PUT', `${base}/${id}`, { ...vipRule(), actions: [{ key: 'page', type: 'deliver', endpointIds: [endpointId] }] });
    expect(replaced.body).toMatchObject({ version: 2, actions: [{ key: 'page', transform: null }] });
    expect((await call('PATCH', `${base}/${id}`, { enabled: false })).body).toMatchObject({ version: 3, enabled: false });
    expect((await call('DELETE', `${base}/${id}`)).status).toBe(204);
    expect((await call('GET', `${base}/${id}`)).status).toBe(404);
    expect(published(id).map((v) => v?.version ?? 'tombstone')).toEqual([1, 2, 3, 'tombstone']);
  });

  it('lists the live rules of the tenant, oldest first, a page at a time', async () => {
    const endpoint = await call<{ id: string }>('POST', '/v1/tenants/paged/endpoints', { url: 'https://hooks.example.com/p' });
    const mine: string[] = [];
    for (const name of ['a', 'b', 'c'])
      mine.push(
        (await call<{ id: string }>('POST', '/v1/tenants/paged/rules', { ...vipRule(), name, actions: [{ type: 'deliver', endpointIds: [endpoint.body.id] }] }))
          .body.id,
      );
    const first = await call<{ data: { id: string }[]; nextCursor: string }>('GET', '/v1/tenants/paged/rules?limit=2');
    const second = await call<{ data: { id: string }[]; nextCursor: string | null }>('GET', `/v1/tenants/paged/rules?limit=2&cursor=${first.body.nextCursor}`);
    expect([...first.body.data, ...second.body.data].map((r) => r.id)).toEqual(mine);
    expect(second.body.nextCursor).toBeNull();
  });

  it.each([
    [
      'a transform with a regular expression',
      (r: ReturnType<typeof vipRule>) => ({ ...r, actions: [{ ...r.actions[0], transform: '$match(data.subject, /a+/)' }] }),
      400,
      'actions.0.transform',
    ],
    [
      'a transform that does not parse',
      (r: ReturnType<typeof vipRule>) => ({ ...r, actions: [{ ...r.actions[0], transform: '{ "a": ' }] }),
      400,
      'actions.0.transform',
    ],
    [
      'two actions of one key',
      (r: ReturnType<typeof vipRule>) => ({
        ...r,
        actions: [
          { ...r.actions[0], key: 'x' },
          { ...r.actions[0], key: 'x' },
        ],
      }),
      400,
      'actions.1.key',
    ],
    [
      'a malformed condition',
      (r: ReturnType<typeof vipRule>) => ({ ...r, conditions: { any: [{ path: 'data.priority', op: 'in', value: 'high' }] } }),
      400,
      'conditions.any.0.value',
    ],
    [
      'a path the trigger’s type does not declare',
      (r: ReturnType<typeof vipRule>) => ({ ...r, conditions: { path: 'data.prio', op: 'exists' } }),
      422,
      'conditions.path',
    ],
    [
      'an endpoint the tenant does not have',
      (r: ReturnType<typeof vipRule>) => ({ ...r, actions: [{ ...r.actions[0], endpointIds: ['9f9f9f9f-9f9f-4f9f-8f9f-9f9f9f9f9f9f'] }] }),
      422,
      'actions.0.endpointIds.0',
    ],
    ['no action', (r: ReturnType<typeof vipRule>) => ({ ...r, actions: [] }), 400, 'actions'],
    ['an unknown action type', (r: ReturnType<typeof vipRule>) => ({ ...r, actions: [{ type: 'email', to: 'x@example.com' }] }), 400, 'actions.0.type'],
  ])('refuses %s, naming the field, and saves nothing', async (_name, change, status, field) => {
    const before = ((await database.db.query(`SELECT count(*)::int AS n FROM rules`)) as { n: number }[])[0].n;
    const res = await call<{ issues: { field: string }[] }>('POST', base, change(vipRule()));
    expect(res.status).toBe(status);
    expect(res.body.issues.map((i) => i.field)).toContain(field);
    expect(((await database.db.query(`SELECT count(*)::int AS n FROM rules`)) as { n: number }[])[0].n).toBe(before);
  });

  it('lets rules:read read and only rules:write change', async () => {
    const key = await call<{ key: string }>('POST', '/v1/api-keys', { name: 'r', tenantId: 'acme', scopes: ['rules:read'] });
    expect((await call('GET', base, undefined, key.body.key)).status).toBe(200);
    expect(await call('POST', base, vipRule(), key.body.key)).toMatchObject({ status: 403, body: { missingScope: 'rules:write' } });
  });
});
