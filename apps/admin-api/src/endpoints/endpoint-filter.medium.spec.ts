import { freshDatabase, type InProcessService } from '@hookline/testing';
import { randomBytes } from 'node:crypto';
import { startAdminApi } from '../admin-api.fixtures';

const vip = {
  all: [
    { path: 'data.priority', op: 'equals', value: 'high' },
    { path: 'data.customer.tier', op: 'in', value: ['gold', 'platinum'] },
  ],
};

/** An endpoint's `filter` through the admin API, on a real PostgreSQL: what is stored and published, and what a bad filter is told. */
describe('endpoint filter', () => {
  const database = freshDatabase();
  const TOKEN = `admin-token-${randomBytes(8).toString('hex')}`;
  let api: InProcessService;
  const base = '/v1/tenants/acme/endpoints';
  const call = (method: string, path: string, body?: unknown) => api.call<Record<string, unknown>>(method, path, { token: TOKEN, body });
  const publishedFilters = (id: string) =>
    api.produced.filter((p) => p.topic === 'hookline.endpoints.changed.v1' && p.key === id).map((p) => (p.value as { filter: unknown }).filter);

  beforeAll(async () => {
    api = await startAdminApi(database.url, TOKEN);
  }, 60_000);
  afterAll(() => api?.close());

  it('stores, shows and publishes a filter, follows a change of it, and null removes it', async () => {
    const created = await call('POST', base, { url: 'https://hooks.example.com/vip', eventTypes: ['ticket.created', 'ticket.updated'], filter: vip });
    expect(created.status).toBe(201);
    expect(created.body.filter).toEqual(vip);
    const id = created.body.id as string;
    const narrower = { path: 'data.priority', op: 'equals', value: 'urgent' };
    expect((await call('PATCH', `${base}/${id}`, { filter: narrower })).body.filter).toEqual(narrower);
    expect((await call('PATCH', `${base}/${id}`, { filter: null })).body.filter).toBeNull();
    expect((await call('GET', `${base}/${id}`)).body.filter).toBeNull();
    expect(publishedFilters(id)).toEqual([vip, narrower, null]);
  });

  it('answers 400 naming the node of a malformed filter, and saves nothing', async () => {
    const res = await call('POST', base, { url: 'https://hooks.example.com/x', filter: { all: [{ path: 'data.priority', op: 'in', value: 'high' }] } });
    expect(res).toEqual({
      status: 400,
      body: { error: 'validation_failed', message: expect.any(String), issues: [{ field: 'filter.all.0.value', rule: 'must be a list for in' }] },
    });
    expect(await database.db.query(`SELECT id FROM endpoints WHERE url = 'https://hooks.example.com/x'`)).toEqual([]);
  });

  it('answers 422 naming a path no subscribed type declares, and checks a change of event types against the filter kept', async () => {
    const typo = { path: 'data.custmer.tier', op: 'exists' };
    expect(await call('POST', base, { url: 'https://hooks.example.com/t', eventTypes: ['ticket.created'], filter: typo })).toMatchObject({
      status: 422,
      body: { error: 'undeclared_path', issues: [{ field: 'filter.path', rule: 'data.custmer.tier is not in the schema of ticket.created' }] },
    });
    // A wildcard or a type the catalog does not know has no schema to hold the paths to.
    expect((await call('POST', base, { url: 'https://hooks.example.com/w', eventTypes: ['ticket.*'], filter: typo })).status).toBe(201);
    expect((await call('POST', base, { url: 'https://hooks.example.com/u', eventTypes: ['lead.won'], filter: typo })).status).toBe(201);

    const created = await call('POST', base, { url: 'https://hooks.example.com/v', eventTypes: ['ticket.created'], filter: vip });
    expect(created.status).toBe(201);
    // invoice.paid declares no data.priority: the filter kept would never match.
    expect(await call('PATCH', `${base}/${created.body.id as string}`, { eventTypes: ['invoice.paid'] })).toMatchObject({
      status: 422,
      body: { error: 'undeclared_path', issues: expect.arrayContaining([{ field: 'filter.all.0.path', rule: expect.stringContaining('data.priority') }]) },
    });
    expect((await call('GET', `${base}/${created.body.id as string}`)).body.eventTypes).toEqual(['ticket.created']);
  });
});
