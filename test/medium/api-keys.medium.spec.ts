import { waitFor } from '@hookline/infra';
import { freshDatabase, startServiceInProcess, type InProcessService } from '@hookline/testing';
import { randomBytes } from 'node:crypto';
import { loadAdminConfig } from '../../apps/admin-api/src/admin-api.config';
import { AppModule as AdminApi } from '../../apps/admin-api/src/app.module';
import { startIngest } from '../../apps/ingest/src/ingest.fixtures';

/** API keys are made by admin-api and honoured by both APIs, which read the same table: a revocation holds on both at once. */
describe('API keys across admin-api and ingest', () => {
  const database = freshDatabase();
  const TOKEN = `admin-token-${randomBytes(8).toString('hex')}`;
  let admin: InProcessService;
  let ingest: InProcessService;

  beforeAll(async () => {
    const env = { KAFKA_BROKERS: '127.0.0.1:9', DATABASE_URL: database.url, HOOKLINE_ADMIN_TOKEN: TOKEN, LOG_LEVEL: 'silent' };
    admin = await startServiceInProcess(AdminApi.register(loadAdminConfig({ ...env, HOOKLINE_MASTER_KEY: randomBytes(32).toString('base64') })));
    ingest = await startIngest(database.url, TOKEN);
  }, 60_000);
  afterAll(async () => {
    await admin?.close();
    await ingest?.close();
  });

  it('lets a key made by admin-api write events at ingest, and refuses it on both APIs from the moment it is revoked', async () => {
    const created = await admin.call<{ id: string; key: string }>('POST', '/v1/api-keys', {
      token: TOKEN,
      body: { name: 'both', tenantId: 'acme', scopes: ['admin'] },
    });
    expect(created.status).toBe(201);
    const event = { tenantId: 'acme', type: 'invoice.paid', data: {} };
    expect((await ingest.call('POST', '/v1/events', { token: created.body.key, body: event })).status).toBe(202);
    expect((await admin.call('GET', '/v1/tenants/acme/endpoints', { token: created.body.key })).status).toBe(200);

    expect((await admin.call('DELETE', `/v1/api-keys/${created.body.id}`, { token: TOKEN })).status).toBe(204);
    expect((await ingest.call('POST', '/v1/events', { token: created.body.key, body: event })).status).toBe(401);
    expect((await admin.call('GET', '/v1/tenants/acme/endpoints', { token: created.body.key })).status).toBe(401);
    // The use of a key is recorded without holding up the request, so the list may show it a moment later.
    const listed = await waitFor(
      async () => {
        const keys = await admin.call<{ data: { id: string; revokedAt: string | null; lastUsedAt: string | null }[] }>('GET', '/v1/api-keys', { token: TOKEN });
        const key = keys.body.data.find((k) => k.id === created.body.id);
        return key?.lastUsedAt ? key : undefined;
      },
      { timeoutMs: 5_000, description: 'the key to show its last use' },
    );
    expect(listed).toMatchObject({ revokedAt: expect.any(String), lastUsedAt: expect.any(String) });
  });

  it('answers each of many requests arriving at once after its own key: live, revoked, of another tenant or unknown', async () => {
    const make = async (tenantId: string) =>
      (await admin.call<{ id: string; key: string }>('POST', '/v1/api-keys', { token: TOKEN, body: { name: tenantId, tenantId, scopes: ['events:write'] } }))
        .body;
    const [live, revoked, other] = [await make('acme'), await make('acme'), await make('globex')];
    expect((await admin.call('DELETE', `/v1/api-keys/${revoked.id}`, { token: TOKEN })).status).toBe(204);
    const keys = [live.key, revoked.key, other.key, 'hl_acme_unknown', TOKEN];
    const expected = [202, 401, 404, 401, 202];
    const event = { tenantId: 'acme', type: 'invoice.paid', data: {} };
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => ingest.call('POST', '/v1/events', { token: keys[i % 5], body: event })));
    expect(answers.map((a) => a.status)).toEqual(Array.from({ length: 40 }, (_, i) => expected[i % 5]));
  });
});
