import { freshDatabase, type InProcessService } from '@hookline/testing';
import { randomBytes, randomUUID } from 'node:crypto';
import { startAdminApi } from '../admin-api.fixtures';

interface SourceView {
  id: string;
  path: string;
  hasSecret: boolean;
  options: Record<string, unknown>;
  eventTypePrefix: string;
  version: number;
}

/**
 * Inbound sources over HTTP, in process on a real PostgreSQL: saved with the
 * provider's options checked and the secret sealed and never shown, and the
 * inbound log read back newest first.
 */
describe('inbound source routes', () => {
  const database = freshDatabase();
  const TOKEN = `admin-token-${randomBytes(8).toString('hex')}`;
  const A = 'inbound-a';
  const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
  let api: InProcessService;
  const base = `/v1/tenants/${A}/inbound-sources`;
  const create = (body: unknown) => api.call<SourceView>('POST', base, { token: TOKEN, body });

  beforeAll(async () => {
    api = await startAdminApi(database.url, TOKEN);
  }, 60_000);
  afterAll(() => api?.close());

  it('creates a source with its URL path and default prefix, seals the secret and never shows it', async () => {
    const created = await create({ provider: 'standard_webhooks', name: 'partner', secret });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ path: `/v1/inbound/${created.body.id}`, hasSecret: true, eventTypePrefix: 'inbound.standard_webhooks', version: 1 });
    expect(JSON.stringify(created.body)).not.toContain(secret);
    const [row] = (await database.db.query(`SELECT secret FROM inbound_sources WHERE id = $1`, [created.body.id])) as { secret: string }[];
    expect(row.secret).toMatch(/^hlenc1\./);
    // A replacement without the secret keeps it; the name is unique per tenant.
    const replaced = await api.call<SourceView>('PUT', `${base}/${created.body.id}`, {
      token: TOKEN,
      body: { provider: 'standard_webhooks', name: 'partner', enabled: false },
    });
    expect(replaced.body).toMatchObject({ hasSecret: true, version: 2 });
    expect((await create({ provider: 'standard_webhooks', name: 'partner', secret })).body).toMatchObject({ error: 'name_taken' });
  });

  it.each([
    ['an unknown provider', { provider: 'carrier-pigeon', name: 'x', secret }, 'provider'],
    [
      'a provider option that breaks its rule',
      { provider: 'generic_hmac', name: 'x', secret, options: { signatureHeader: 'X Sig' } },
      'options.signatureHeader',
    ],
    ['a missing required provider option', { provider: 'generic_hmac', name: 'y', secret, options: {} }, 'options.signatureHeader'],
    ['no secret for a provider that signs with one', { provider: 'standard_webhooks', name: 'z' }, 'secret'],
    ['a prefix that is no event type', { provider: 'standard_webhooks', name: 'w', secret, eventTypePrefix: 'Inbound/Partner' }, 'eventTypePrefix'],
  ])('refuses %s with 400 naming %s', async (_what, body, field) => {
    const res = await create(body);
    expect(res.status).toBe(400);
    expect((res.body as unknown as { issues: { field: string }[] }).issues.map((i) => i.field)).toContain(field);
  });

  it('lists the inbound log newest first, page by page', async () => {
    const source = (await create({ provider: 'standard_webhooks', name: 'logged', secret })).body;
    for (let i = 0; i < 3; i++) {
      await database.db.query(
        `INSERT INTO inbound_log (id, source_id, tenant_id, received_at, outcome, status, reason, size) VALUES ($1, $2, $3, $4, 'refused', 401, 'bad_signature', $5)`,
        [randomUUID(), source.id, A, new Date(Date.UTC(2026, 10, 29, 10, 0, i)), 10 + i],
      );
    }
    const first = await api.call<{ data: { size: number; reason: string }[]; nextCursor: string }>('GET', `${base}/${source.id}/log?limit=2`, { token: TOKEN });
    expect(first.body.data.map((l) => l.size)).toEqual([12, 11]);
    const second = await api.call<{ data: { size: number }[]; nextCursor: string | null }>(
      'GET',
      `${base}/${source.id}/log?limit=2&cursor=${first.body.nextCursor}`,
      {
        token: TOKEN,
      },
    );
    expect(second.body).toEqual({ data: [expect.objectContaining({ size: 10, outcome: 'refused', reason: 'bad_signature', body: null })], nextCursor: null });
  });
});
