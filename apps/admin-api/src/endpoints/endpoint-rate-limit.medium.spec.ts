import { EndpointsChangedTopic } from '@hookline/contracts';
import { freshDatabase, type InProcessService } from '@hookline/testing';
import { randomBytes } from 'node:crypto';
import { startAdminApi } from '../admin-api.fixtures';

/**
 * An endpoint's `rateLimit` and `maxInFlight` through the admin API, on a
 * real PostgreSQL: taken on create and PATCH (null clears, absent keeps),
 * shown in the endpoint view with the burst in force, stored, and published
 * on the endpoints topic; bad input is a 400 naming the field and the rule.
 */
describe('endpoint rateLimit and maxInFlight', () => {
  const database = freshDatabase();
  const TOKEN = `admin-token-${randomBytes(8).toString('hex')}`;
  const base = '/v1/tenants/rate-a/endpoints';
  let api: InProcessService;

  beforeAll(async () => {
    api = await startAdminApi(database.url, TOKEN);
  }, 60_000);
  afterAll(() => api?.close());

  type Limits = { rateLimit: unknown; maxInFlight: unknown };
  const call = <T = Record<string, unknown>>(method: string, path: string, body?: unknown) => api.call<T>(method, path, { token: TOKEN, body });
  const published = (id: string) =>
    api.produced
      .filter((p) => p.topic === EndpointsChangedTopic.name && p.key === id)
      .map((p) => ({ rateLimit: (p.value as Limits).rateLimit, maxInFlight: (p.value as Limits).maxInFlight }));
  const stored = async (id: string) => {
    const [row] = await database.db.query('SELECT rate_limit, max_in_flight FROM endpoints WHERE id = $1', [id]);
    return { rateLimit: row.rate_limit, maxInFlight: row.max_in_flight };
  };
  const none = { rateLimit: null, maxInFlight: null };

  it('is null (no limit, the dispatcher cap) when not given, in the view, the row and the topic', async () => {
    const created = await call<{ id: string } & Limits>('POST', base, { url: 'https://hooks.example.com/default' });
    expect(created).toMatchObject({ status: 201, body: none });
    expect(await stored(created.body.id)).toEqual(none);
    expect(published(created.body.id)).toEqual([none]);
  });

  it('takes both on create, resolves the default burst to one second of requests, and shows them', async () => {
    const created = await call<{ id: string } & Limits>('POST', base, {
      url: 'https://hooks.example.com/limited',
      rateLimit: { perSecond: 2.5 },
      maxInFlight: 4,
    });
    const limits = { rateLimit: { perSecond: 2.5, burst: 3 }, maxInFlight: 4 };
    expect(created).toMatchObject({ status: 201, body: limits });
    expect(await call('GET', `${base}/${created.body.id}`)).toMatchObject({ status: 200, body: limits });
    const listed = await call<{ data: ({ id: string } & Limits)[] }>('GET', base);
    expect(listed.body.data.find((e) => e.id === created.body.id)).toMatchObject(limits);
    expect(await stored(created.body.id)).toEqual(limits);
    expect(published(created.body.id)).toEqual([limits]);
  });

  it('changes each on PATCH, leaves them alone when not named, and clears each with null', async () => {
    const { body } = await call<{ id: string }>('POST', base, { url: 'https://hooks.example.com/patch', rateLimit: { perSecond: 50 } });
    const path = `${base}/${body.id}`;
    const raised = { rateLimit: { perSecond: 100, burst: 20 }, maxInFlight: 2 };
    expect(await call('PATCH', path, { rateLimit: { perSecond: 100, burst: 20 }, maxInFlight: 2 })).toMatchObject({ status: 200, body: raised });
    expect(await call('PATCH', path, { description: 'renamed' })).toMatchObject({ status: 200, body: raised });
    expect(await call('PATCH', path, { rateLimit: null })).toMatchObject({ status: 200, body: { rateLimit: null, maxInFlight: 2 } });
    expect(await call('PATCH', path, { maxInFlight: null })).toMatchObject({ status: 200, body: none });
    expect(await stored(body.id)).toEqual(none);
    expect(published(body.id)).toEqual([
      { rateLimit: { perSecond: 50, burst: 50 }, maxInFlight: null },
      raised,
      raised,
      { rateLimit: null, maxInFlight: 2 },
      none,
    ]);
  });

  it.each([
    ['POST', { rateLimit: { perSecond: 0 } }, 'rateLimit.perSecond', 'must be a number from 0.01 to 10000'],
    ['POST', { rateLimit: { perSecond: 50_000 } }, 'rateLimit.perSecond', 'must be a number from 0.01 to 10000'],
    ['POST', { rateLimit: { burst: 5 } }, 'rateLimit.perSecond', 'must be a number from 0.01 to 10000'],
    ['PATCH', { rateLimit: { perSecond: 5, burst: 0 } }, 'rateLimit.burst', 'must be an integer from 1 to 10000'],
    ['PATCH', { rateLimit: { perSecond: 5, burst: 1.5 } }, 'rateLimit.burst', 'must be an integer from 1 to 10000'],
    ['PATCH', { rateLimit: { perSecond: 5, perMinute: 5 } }, 'rateLimit', 'unknown field(s): perMinute'],
    ['PATCH', { rateLimit: '50/s' }, 'rateLimit', 'must be null or { perSecond, burst? }'],
    ['POST', { maxInFlight: 0 }, 'maxInFlight', 'must be an integer from 1 to 1000'],
    ['POST', { maxInFlight: 1001 }, 'maxInFlight', 'must be an integer from 1 to 1000'],
    ['PATCH', { maxInFlight: 2.5 }, 'maxInFlight', 'must be an integer from 1 to 1000'],
    ['PATCH', { maxInFlight: '2' }, 'maxInFlight', 'must be null or an integer from 1 to 1000'],
  ])('answers %s with %j by 400 naming %s, and saves nothing', async (method, fields, field, rule) => {
    const { body } = await call<{ id: string }>('POST', base, { url: 'https://hooks.example.com/bad' });
    const before = published(body.id).length;
    const res =
      method === 'POST' ? await call('POST', base, { url: 'https://hooks.example.com/bad2', ...fields }) : await call('PATCH', `${base}/${body.id}`, fields);
    expect(res).toMatchObject({
      status: 400,
      body: { error: 'validation_failed', issues: expect.arrayContaining([{ field, rule: expect.stringContaining(rule) }]) },
    });
    expect(await stored(body.id)).toEqual(none);
    expect(published(body.id)).toHaveLength(before);
  });
});
