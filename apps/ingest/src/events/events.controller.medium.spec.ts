import { EventsAcceptedTopic, MAX_JSON_DEPTH, type EventEnvelope, type TenantId } from '@hookline/contracts';
import { hashApiKey } from '@hookline/service-kit';
import { freshDatabase, type InProcessService } from '@hookline/testing';
import { randomBytes, randomUUID } from 'node:crypto';
import { CatalogInMemory, startIngest } from '../ingest.fixtures';

/** ingest's HTTP contract, in process on a real PostgreSQL (what it publishes is recorded, not sent). */
describe('ingest routes', () => {
  const database = freshDatabase();
  const TOKEN = `admin-token-${randomBytes(8).toString('hex')}`;
  let api: InProcessService;
  const catalog = new CatalogInMemory();
  const keys: Record<string, string> = {};

  /** API keys are admin-api's to create; here they are written the way it writes them. */
  const insertKey = async (name: string, tenantId: string | null, scopes: string[]) => {
    const key = `hl_${tenantId ?? 'global'}_${randomBytes(32).toString('base64url')}`;
    await database.db.query(`INSERT INTO api_keys (id, tenant_id, name, scopes, key_hash) VALUES ($1, $2, $3, $4, $5)`, [
      randomUUID(),
      tenantId,
      name,
      scopes,
      hashApiKey(key),
    ]);
    keys[name] = key;
  };

  beforeAll(async () => {
    api = await startIngest(database.url, TOKEN, catalog);
    await insertKey('writer', 'acme', ['events:write']);
    await insertKey('reader', 'acme', ['endpoints:read']);
  }, 60_000);
  afterAll(() => api?.close());

  const published = () => api.produced.filter((p) => p.topic === EventsAcceptedTopic.name).map((p) => p.value as EventEnvelope);

  it('accepts an event (202 with its id) and publishes it once; the same id again is a duplicate', async () => {
    const first = await api.call('POST', '/v1/events', { token: keys.writer, body: { tenantId: 'acme', type: 'invoice.paid', id: 'inv_1', data: { n: 1 } } });
    const again = await api.call('POST', '/v1/events', { token: keys.writer, body: { tenantId: 'acme', type: 'invoice.paid', id: 'inv_1', data: { n: 1 } } });
    expect([first, again]).toEqual([
      { status: 202, body: { id: 'inv_1', duplicate: false } },
      { status: 202, body: { id: 'inv_1', duplicate: true } },
    ]);
    expect(published().filter((e) => e.id === 'inv_1')).toHaveLength(1);
  });

  it("answers 404 to a tenant key sending another tenant's events, alone or in a batch, and publishes nothing", async () => {
    const before = published().length;
    const event = { tenantId: 'globex', type: 'invoice.paid', data: {} };
    expect((await api.call('POST', '/v1/events', { token: keys.writer, body: event })).status).toBe(404);
    expect((await api.call('POST', '/v1/events/batch', { token: keys.writer, body: { events: [{ ...event, tenantId: 'acme' }, event] } })).status).toBe(404);
    expect(published()).toHaveLength(before);
  });

  it('answers 403 naming events:write to a key without it, and 401 without a live key', async () => {
    const event = { tenantId: 'acme', type: 'invoice.paid', data: {} };
    expect(await api.call('POST', '/v1/events', { token: keys.reader, body: event })).toMatchObject({
      status: 403,
      body: { error: 'forbidden', missingScope: 'events:write' },
    });
    expect(await api.call('POST', '/v1/events/batch', { token: keys.reader, body: { events: [event] } })).toMatchObject({ status: 403 });
    expect(await api.call('POST', '/v1/events', { body: event })).toMatchObject({ status: 401, body: { error: 'unauthorized' } });
    expect((await api.call('POST', '/v1/events', { token: 'hl_acme_made-up', body: event })).status).toBe(401);
  });

  it.each([
    ['a type that is not dot-separated lowercase words', { tenantId: 'acme', type: 'Invoice Paid', data: {} }, 'type'],
    ['data that is not an object', { tenantId: 'acme', type: 'invoice.paid', data: [1] }, 'data'],
    ['an occurredAt that is no date', { tenantId: 'acme', type: 'invoice.paid', data: {}, occurredAt: 'yesterday' }, 'occurredAt'],
    ['data over 256 KiB', { tenantId: 'acme', type: 'invoice.paid', data: { a: 'x'.repeat(128 * 1024), b: 'x'.repeat(128 * 1024) } }, 'data'],
    [
      'an occurredAt before year 1 (PostgreSQL refuses it)',
      { tenantId: 'acme', type: 'invoice.paid', data: {}, occurredAt: '0000-01-01T00:00:00Z' },
      'occurredAt',
    ],
    ['NUL inside data', { tenantId: 'acme', type: 'invoice.paid', data: { a: { b: 'x\u0000' } } }, 'data.a.b'],
    ['a lone surrogate in a key of data', { tenantId: 'acme', type: 'invoice.paid', data: { '\udfff': 1 } }, 'data.\udfff'],
  ])('answers 400 naming the field to %s', async (_name, body, field) => {
    const res = await api.call('POST', '/v1/events', { token: keys.writer, body });
    expect(res).toEqual({
      status: 400,
      body: { error: 'validation_failed', message: expect.stringContaining(`${field}: `), issues: [{ field, rule: expect.any(String) }] },
    });
  });

  it('names the place of each bad event in a batch and publishes none of it', async () => {
    const before = published().length;
    const res = await api.call('POST', '/v1/events/batch', {
      token: keys.writer,
      body: {
        events: [
          { tenantId: 'acme', type: 'invoice.paid', data: {} },
          { tenantId: 'acme', type: 'BAD', data: {} },
        ],
      },
    });
    expect(res).toMatchObject({ status: 400, body: { error: 'validation_failed', issues: [{ field: 'events.1.type', rule: expect.any(String) }] } });
    expect(published()).toHaveLength(before);
    expect(await api.call('POST', '/v1/events/batch', { token: keys.writer, body: { events: [] } })).toMatchObject({
      status: 400,
      body: { issues: [{ field: 'events', rule: 'must hold 1-500 events (got 0)' }] },
    });
  });

  it('answers 400 naming the rule to a body nested 100,000 levels deep, alone or in a batch (regression: it answered 500)', async () => {
    const before = published().length;
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    const rule = `must nest at most ${MAX_JSON_DEPTH} levels of objects and arrays`;
    const one = await api.call('POST', '/v1/events', { token: keys.writer, rawBody: `{"tenantId":"acme","type":"a","data":{"x":${deep}}}` });
    expect(one).toEqual({
      status: 400,
      body: { error: 'validation_failed', message: expect.stringContaining(rule), issues: [{ field: `data.x${'.0'.repeat(MAX_JSON_DEPTH - 2)}`, rule }] },
    });
    const batch = await api.call('POST', '/v1/events/batch', { token: keys.writer, rawBody: `{"events":[{"tenantId":"acme","type":"a","data":{}},${deep}]}` });
    expect(batch).toEqual({
      status: 400,
      body: { error: 'validation_failed', message: expect.stringContaining(rule), issues: [{ field: `events.1${'.0'.repeat(MAX_JSON_DEPTH - 2)}`, rule }] },
    });
    expect(published()).toHaveLength(before);
  });

  it('answers 400 naming type to an event of a type Hookline emits itself, alone or in a batch, and publishes nothing', async () => {
    const before = published().length;
    const rule = "is reserved for Hookline's own events";
    const one = await api.call('POST', '/v1/events', { token: keys.writer, body: { tenantId: 'acme', type: 'endpoint.disabled', data: {} } });
    expect(one).toEqual({
      status: 400,
      body: { error: 'validation_failed', message: expect.stringContaining(`type: ${rule}`), issues: [{ field: 'type', rule }] },
    });
    const batch = await api.call('POST', '/v1/events/batch', {
      token: keys.writer,
      body: {
        events: [
          { tenantId: 'acme', type: 'invoice.paid', data: {} },
          { tenantId: 'acme', type: 'delivery.exhausted', data: {} },
        ],
      },
    });
    expect(batch).toMatchObject({ status: 400, body: { error: 'validation_failed', issues: [{ field: 'events.1.type', rule }] } });
    expect(published()).toHaveLength(before);
  });

  it('answers 400 naming the field to a number that parsing would change, before the body is parsed', async () => {
    const res = await api.call('POST', '/v1/events/batch', {
      token: keys.writer,
      rawBody: '{"events":[{"tenantId":"acme","type":"a","data":{"n":1}},{"tenantId":"acme","type":"a","data":{"big":[1e400]}}]}',
    });
    expect(res).toMatchObject({
      status: 400,
      body: { error: 'validation_failed', issues: [{ field: 'events.1.data.big.0', rule: expect.stringMatching(/^must be a finite number/) }] },
    });
    const precise = await api.call('POST', '/v1/events', { token: keys.writer, rawBody: '{"tenantId":"acme","type":"a","data":{"id":9007199254740993}}' });
    expect(precise).toMatchObject({
      status: 400,
      body: { issues: [{ field: 'data.id', rule: expect.stringContaining('send a larger or more precise one as a string') }] },
    });
  });

  it('answers 400 invalid_json to a body that is not JSON, in the one error shape', async () => {
    expect(await api.call('POST', '/v1/events', { token: keys.writer, rawBody: '{"tenantId": "acme", ' })).toEqual({
      status: 400,
      body: { error: 'invalid_json', message: expect.stringMatching(/^the body is not valid JSON/) },
    });
  });

  it('checks data against the type’s schema under the tenant’s mode: 422 naming JSON pointers under enforce, accepted and flagged under warn', async () => {
    const schema = { type: 'object', properties: { level: { enum: ['low', 'high'] } }, required: ['level'] };
    const config = { tenantId: 'acme' as TenantId, schema, version: 1, deprecated: false, revision: 1, updatedAt: '2026-11-29T00:00:00Z' } as const;
    catalog.set({ ...config, name: 'alarm.raised', schemaMode: 'enforce' });
    catalog.set({ ...config, name: 'alarm.noted', schemaMode: 'warn' });
    const before = published().length;

    expect(await api.call('POST', '/v1/events', { token: keys.writer, body: { tenantId: 'acme', type: 'alarm.raised', data: { level: 'mid' } } })).toEqual({
      status: 422,
      body: {
        error: 'schema_violation',
        message: '/data/level: must be one of ["low","high"]',
        issues: [{ field: '/data/level', rule: 'must be one of ["low","high"]' }],
      },
    });
    const batch = await api.call('POST', '/v1/events/batch', {
      token: keys.writer,
      body: {
        events: [
          { tenantId: 'acme', type: 'alarm.raised', data: { level: 'low' } },
          { tenantId: 'acme', type: 'alarm.raised', data: {} },
        ],
      },
    });
    expect(batch).toMatchObject({ status: 422, body: { issues: [{ field: '/events/1/data/level', rule: 'is required' }] } });
    expect(published()).toHaveLength(before);

    const warned = await api.call<{ id: string }>('POST', '/v1/events', {
      token: keys.writer,
      body: { tenantId: 'acme', type: 'alarm.noted', data: { level: 'mid' } },
    });
    expect(warned.status).toBe(202);
    const clean = await api.call<{ id: string }>('POST', '/v1/events', {
      token: keys.writer,
      body: { tenantId: 'acme', type: 'alarm.noted', data: { level: 'low' } },
    });
    expect(published().slice(before)).toEqual([
      expect.objectContaining({ id: warned.body.id, schemaViolations: [{ pointer: '/level', rule: 'must be one of ["low","high"]' }] }),
      expect.not.objectContaining({ schemaViolations: expect.anything() }),
    ]);
    expect(published().at(-1)!.id).toBe(clean.body.id);
  });
});
