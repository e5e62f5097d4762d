import { BUILTIN_EVENT_TYPES } from '@hookline/catalog';
import { freshDatabase, type InProcessService } from '@hookline/testing';
import { randomBytes } from 'node:crypto';
import { startAdminApi } from '../admin-api.fixtures';

const TOPIC = 'hookline.event-types.changed.v1';

const orderSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  properties: { orderId: { type: 'string' }, carrier: { enum: ['ups', 'dhl'] } },
  required: ['orderId', 'carrier'],
};

/** `/v1/tenants/:tenantId/event-types` over HTTP on a real PostgreSQL: the catalog, custom types and their versions, schema modes, and what ingest is sent. */
describe('event catalog routes', () => {
  const database = freshDatabase();
  const TOKEN = `admin-token-${randomBytes(8).toString('hex')}`;
  let api: InProcessService;

  const createKey = async (tenantId: string, scopes: string[]) => {
    const res = await api.call<{ key: string }>('POST', '/v1/api-keys', { token: TOKEN, body: { name: 'k', tenantId, scopes } });
    expect(res.status).toBe(201);
    return res.body.key;
  };
  const published = (tenantId: string, name: string) =>
    api.produced
      .filter((p) => p.topic === TOPIC && (p.value as { tenantId: string; name: string }).tenantId === tenantId && (p.value as { name: string }).name === name)
      .map((p) => p.value);

  beforeAll(async () => {
    api = await startAdminApi(database.url, TOKEN);
  }, 60_000);
  afterAll(() => api?.close());

  it('lists every built-in type, by name, under a tenant that changed nothing, and filters by group and source', async () => {
    const key = await createKey('acme', ['catalog:read']);
    const all = await api.call<{ data: { name: string; source: string; schemaMode: string; group: string }[] }>('GET', '/v1/tenants/acme/event-types', {
      token: key,
    });
    expect(all.status).toBe(200);
    expect(all.body.data.map((t) => t.name)).toEqual(BUILTIN_EVENT_TYPES.map((t) => t.name).sort());
    expect(all.body.data.length).toBeGreaterThanOrEqual(40);
    expect(new Set(all.body.data.map((t) => `${t.source}/${t.schemaMode}`))).toEqual(new Set(['builtin/off']));
    const tickets = await api.call<{ data: { name: string }[] }>('GET', '/v1/tenants/acme/event-types?group=tickets', { token: key });
    expect(tickets.body.data.map((t) => t.name)).toEqual(expect.arrayContaining(['ticket.created', 'ticket.resolved']));
    expect(tickets.body.data.every((t) => t.name.startsWith('ticket.'))).toBe(true);
    expect((await api.call<{ data: unknown[] }>('GET', '/v1/tenants/acme/event-types?source=custom', { token: key })).body.data).toEqual([]);

    const one = await api.call<{ schema: object; example: object; version: number }>('GET', '/v1/tenants/acme/event-types/ticket.created', { token: key });
    expect(one.body).toMatchObject({ name: 'ticket.created', group: 'tickets', source: 'builtin', version: 1, createdAt: null });
    expect(one.body.schema).toEqual(BUILTIN_EVENT_TYPES.find((t) => t.name === 'ticket.created')!.schema);
    expect((await api.call('GET', '/v1/tenants/acme/event-types/no.such.type', { token: key })).status).toBe(404);
  });

  it('creates a custom type at version 1, publishes it, and keeps every schema version a PUT makes', async () => {
    const key = await createKey('globex', ['catalog:write', 'catalog:read']);
    const created = await api.call('POST', '/v1/tenants/globex/event-types', {
      token: key,
      body: { name: 'order.shipped', description: 'An order left', schema: orderSchema, example: { orderId: 'ord_1', carrier: 'dhl' }, schemaMode: 'warn' },
    });
    expect(created).toEqual({
      status: 201,
      body: expect.objectContaining({
        name: 'order.shipped',
        group: 'order',
        source: 'custom',
        version: 1,
        schemaMode: 'warn',
        deprecated: false,
        schema: orderSchema,
      }),
    });
    expect(published('globex', 'order.shipped')).toEqual([
      expect.objectContaining({ schema: orderSchema, version: 1, schemaMode: 'warn', deprecated: false, revision: 1 }),
    ]);

    // The same schema again: a new description, the same version.
    const same = await api.call('PUT', '/v1/tenants/globex/event-types/order.shipped', {
      token: key,
      body: { description: 'An order left the warehouse', schema: orderSchema, example: { orderId: 'ord_2', carrier: 'ups' } },
    });
    expect(same.body).toMatchObject({ version: 1, description: 'An order left the warehouse' });
    const v2Schema = { ...orderSchema, required: ['orderId'] };
    const v2 = await api.call('PUT', '/v1/tenants/globex/event-types/order.shipped', { token: key, body: { description: 'v2', schema: v2Schema } });
    expect(v2.body).toMatchObject({ version: 2, schema: v2Schema, example: null });
    const versions = await api.call<{ data: { version: number; schema: object }[] }>('GET', '/v1/tenants/globex/event-types/order.shipped/versions', {
      token: key,
    });
    expect(versions.body.data.map((v) => [v.version, v.schema])).toEqual([
      [2, v2Schema],
      [1, orderSchema],
    ]);
    expect(published('globex', 'order.shipped').map((c) => [(c as { revision: number }).revision, (c as { version: number }).version])).toEqual([
      [1, 1],
      [2, 1],
      [3, 2],
    ]);

    const deprecated = await api.call('PATCH', '/v1/tenants/globex/event-types/order.shipped', {
      token: key,
      body: { deprecated: true, schemaMode: 'enforce' },
    });
    expect(deprecated.body).toMatchObject({ version: 2, deprecated: true, schemaMode: 'enforce' });
    expect((await api.call<{ data: { name: string }[] }>('GET', '/v1/tenants/globex/event-types?deprecated=true', { token: key })).body.data).toEqual([
      expect.objectContaining({ name: 'order.shipped' }),
    ]);
    // Another tenant's catalog has none of it.
    expect((await api.call('GET', '/v1/tenants/acme/event-types/order.shipped', { token: TOKEN })).status).toBe(404);
  });

  it('sets the schema mode of a built-in type for one tenant, and publishes it without a schema', async () => {
    const key = await createKey('initech', ['catalog:write']);
    const patched = await api.call('PATCH', '/v1/tenants/initech/event-types/ticket.created', { token: key, body: { schemaMode: 'enforce' } });
    expect(patched).toEqual({ status: 200, body: expect.objectContaining({ source: 'builtin', schemaMode: 'enforce', createdAt: expect.any(String) }) });
    expect(published('initech', 'ticket.created')).toEqual([expect.objectContaining({ schema: null, schemaMode: 'enforce', revision: 1 })]);
    expect((await api.call('GET', '/v1/tenants/acme/event-types/ticket.created', { token: TOKEN })).body).toMatchObject({ schemaMode: 'off' });

    expect(await api.call('PATCH', '/v1/tenants/initech/event-types/ticket.created', { token: key, body: { description: 'mine' } })).toMatchObject({
      status: 400,
      body: { issues: [{ field: 'description', rule: expect.stringMatching(/built-in/) }] },
    });
    expect(
      await api.call('PUT', '/v1/tenants/initech/event-types/ticket.created', { token: key, body: { description: '', schema: orderSchema } }),
    ).toMatchObject({
      status: 409,
      body: { error: 'builtin_event_type' },
    });
    expect((await api.call('PATCH', '/v1/tenants/initech/event-types/no.such.type', { token: key, body: { schemaMode: 'warn' } })).status).toBe(404);
  });

  it.each([
    ['a built-in name', { name: 'invoice.paid', schema: orderSchema }, 409, 'event_type_exists', null],
    ['an operational name', { name: 'endpoint.disabled', schema: orderSchema }, 400, 'validation_failed', 'name'],
    ['a schema of another draft', { name: 'a.b', schema: { $schema: 'http://json-schema.org/draft-07/schema#' } }, 400, 'validation_failed', 'schema'],
    ['a misspelt keyword', { name: 'a.b', schema: { type: 'object', requird: ['x'] } }, 400, 'validation_failed', 'schema'],
    ['a backtracking pattern', { name: 'a.b', schema: { type: 'string', pattern: '(a)\\1' } }, 400, 'validation_failed', 'schema'],
    ['an example that fails the schema', { name: 'a.b', schema: orderSchema, example: { orderId: 7 } }, 400, 'validation_failed', '/example/orderId'],
    ['no schema', { name: 'a.b' }, 400, 'validation_failed', 'schema'],
    ['an unknown field', { name: 'a.b', schema: orderSchema, version: 3 }, 400, 'validation_failed', '(root)'],
  ])('refuses %s and stores nothing', async (_name, body, status, error, field) => {
    const res = await api.call<{ error: string; issues?: { field: string }[] }>('POST', '/v1/tenants/umbrella/event-types', { token: TOKEN, body });
    expect(res.status).toBe(status);
    expect(res.body.error).toBe(error);
    if (field) expect(res.body.issues?.map((i) => i.field)).toContain(field);
    expect(await database.db.query(`SELECT name FROM event_types WHERE tenant_id = 'umbrella'`)).toEqual([]);
  });

  it('refuses a second custom type of one name with 409, and keeps the first', async () => {
    const body = { name: 'lead.created', schema: orderSchema };
    expect((await api.call('POST', '/v1/tenants/hooli/event-types', { token: TOKEN, body })).status).toBe(201);
    expect(await api.call('POST', '/v1/tenants/hooli/event-types', { token: TOKEN, body: { ...body, schema: { type: 'object' } } })).toMatchObject({
      status: 409,
      body: { error: 'event_type_exists' },
    });
    expect((await api.call('GET', '/v1/tenants/hooli/event-types/lead.created', { token: TOKEN })).body).toMatchObject({ schema: orderSchema });
  });

  it('lets catalog:read read and only catalog:write change', async () => {
    const reader = await createKey('stark', ['catalog:read', 'endpoints:write']);
    expect((await api.call('GET', '/v1/tenants/stark/event-types/invoice.paid', { token: reader })).status).toBe(200);
    expect(await api.call('PATCH', '/v1/tenants/stark/event-types/invoice.paid', { token: reader, body: { schemaMode: 'enforce' } })).toMatchObject({
      status: 403,
      body: { missingScope: 'catalog:write' },
    });
    expect(published('stark', 'invoice.paid')).toEqual([]);
  });
});
