import { freshDatabase, type InProcessService } from '@hookline/testing';
import { randomBytes } from 'node:crypto';
import { startAdminApi } from '../admin-api.fixtures';

/** `GET|PUT /v1/tenants/:tenantId/settings` over HTTP on a real PostgreSQL: what is stored (log-store reads it), who may, and what bad input is told. */
describe('tenant settings routes', () => {
  const database = freshDatabase();
  const TOKEN = `admin-token-${randomBytes(8).toString('hex')}`;
  let api: InProcessService;

  const createKey = async (tenantId: string | undefined, scopes: string[]) => {
    const res = await api.call<{ key: string }>('POST', '/v1/api-keys', { token: TOKEN, body: { name: 'k', tenantId, scopes } });
    expect(res.status).toBe(201);
    return res.body.key;
  };
  const stored = async (tenantId: string) =>
    (await database.db.query(`SELECT log_retention_days FROM tenant_settings WHERE tenant_id = $1`, [tenantId])) as { log_retention_days: number | null }[];

  beforeAll(async () => {
    api = await startAdminApi(database.url, TOKEN);
  }, 60_000);
  afterAll(() => api?.close());

  it('answers the default (null) for a tenant that never set any, then what was set, and null again once reset', async () => {
    const key = await createKey('acme', ['admin']);
    expect(await api.call('GET', '/v1/tenants/acme/settings', { token: key })).toEqual({
      status: 200,
      body: { tenantId: 'acme', logRetentionDays: null, updatedAt: null },
    });
    const put = await api.call('PUT', '/v1/tenants/acme/settings', { token: key, body: { logRetentionDays: 7 } });
    expect(put).toEqual({ status: 200, body: { tenantId: 'acme', logRetentionDays: 7, updatedAt: expect.any(String) } });
    expect(await stored('acme')).toEqual([{ log_retention_days: 7 }]);
    expect((await api.call('GET', '/v1/tenants/acme/settings', { token: key })).body).toEqual(put.body);

    expect((await api.call('PUT', '/v1/tenants/acme/settings', { token: TOKEN, body: { logRetentionDays: null } })).body).toMatchObject({
      logRetentionDays: null,
    });
    expect(await stored('acme')).toEqual([{ log_retention_days: null }]);
    expect(await stored('globex')).toEqual([]);
  });

  it('lets a deliveries:read key read the settings, and only an admin key change them', async () => {
    const reader = await createKey('initech', ['deliveries:read', 'endpoints:write']);
    expect((await api.call('GET', '/v1/tenants/initech/settings', { token: reader })).status).toBe(200);
    expect(await api.call('PUT', '/v1/tenants/initech/settings', { token: reader, body: { logRetentionDays: 1 } })).toEqual({
      status: 403,
      body: { error: 'forbidden', message: expect.any(String), missingScope: 'admin' },
    });
    expect(await stored('initech')).toEqual([]);
  });

  it.each([
    ['zero days', { logRetentionDays: 0 }, 'logRetentionDays'],
    ['more than ten years', { logRetentionDays: 3651 }, 'logRetentionDays'],
    ['a fraction', { logRetentionDays: 1.5 }, 'logRetentionDays'],
    ['a string', { logRetentionDays: '30' }, 'logRetentionDays'],
    ['no field', {}, 'logRetentionDays'],
    ['an unknown field', { logRetentionDays: 30, retainForever: true }, '(root)'],
  ])('answers 400 naming the field to %s, and stores nothing', async (_name, body, field) => {
    const res = await api.call<{ error: string; issues: { field: string; rule: string }[] }>('PUT', '/v1/tenants/umbrella/settings', { token: TOKEN, body });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('validation_failed');
    expect(res.body.issues).toEqual([{ field, rule: expect.any(String) }]);
    expect(res.body.issues[0].rule).toMatch(field === '(root)' ? /retainForever/ : /1 to 3650|null/);
    expect(await stored('umbrella')).toEqual([]);
  });
});
