import { EndpointsChangedTopic } from '@hookline/contracts';
import { freshDatabase, type InProcessService } from '@hookline/testing';
import { randomBytes } from 'node:crypto';
import { startAdminApi } from '../admin-api.fixtures';

/**
 * An endpoint's `retryPolicy` through the admin API, on a real PostgreSQL:
 * taken on create and PATCH, shown in the endpoint view as written, stored,
 * and published on the endpoints topic in milliseconds; bad input is a 400
 * naming the field within the policy and the rule.
 */
describe('endpoint retryPolicy', () => {
  const database = freshDatabase();
  const TOKEN = `admin-token-${randomBytes(8).toString('hex')}`;
  const base = '/v1/tenants/policy-a/endpoints';
  let api: InProcessService;

  beforeAll(async () => {
    api = await startAdminApi(database.url, TOKEN);
  }, 60_000);
  afterAll(() => api?.close());

  const call = <T = Record<string, unknown>>(method: string, path: string, body?: unknown) => api.call<T>(method, path, { token: TOKEN, body });
  const published = (id: string) =>
    api.produced.filter((p) => p.topic === EndpointsChangedTopic.name && p.key === id).map((p) => (p.value as { retryPolicy: unknown }).retryPolicy);
  const stored = async (id: string) => (await database.db.query('SELECT retry_policy FROM endpoints WHERE id = $1', [id]))[0].retry_policy;

  it('is null (the default schedule) when not given, in the view, the row and the topic', async () => {
    const created = await call<{ id: string; retryPolicy: unknown }>('POST', base, { url: 'https://hooks.example.com/default' });
    expect(created).toMatchObject({ status: 201, body: { retryPolicy: null } });
    expect(await stored(created.body.id)).toBeNull();
    expect(published(created.body.id)).toEqual([null]);
  });

  it('takes a list of delays on create, shows it as written and publishes it in milliseconds', async () => {
    const created = await call<{ id: string; retryPolicy: unknown }>('POST', base, {
      url: 'https://hooks.example.com/list',
      retryPolicy: { delays: ['1s', '90s', '2h'] },
    });
    expect(created).toMatchObject({ status: 201, body: { retryPolicy: { delays: ['1s', '90s', '2h'] } } });
    expect(await call('GET', `${base}/${created.body.id}`)).toMatchObject({ status: 200, body: { retryPolicy: { delays: ['1s', '90s', '2h'] } } });
    expect(await stored(created.body.id)).toEqual({ delaysMs: [1000, 90_000, 7_200_000] });
    expect(published(created.body.id)).toEqual([{ delaysMs: [1000, 90_000, 7_200_000] }]);
  });

  it('changes to exponential parameters and back to the default on PATCH, leaving it alone when not named', async () => {
    const { body } = await call<{ id: string }>('POST', base, { url: 'https://hooks.example.com/patch', retryPolicy: { delays: ['5s'] } });
    const path = `${base}/${body.id}`;
    const exponential = { initial: '1s', factor: 2, maxDelay: '1h', attempts: 10 };
    expect(await call('PATCH', path, { retryPolicy: exponential })).toMatchObject({ status: 200, body: { retryPolicy: exponential } });
    expect(await call('PATCH', path, { description: 'renamed' })).toMatchObject({ status: 200, body: { retryPolicy: exponential } });
    expect(await stored(body.id)).toEqual({ initialMs: 1000, factor: 2, maxDelayMs: 3_600_000, attempts: 10 });
    expect(await call('PATCH', path, { retryPolicy: null })).toMatchObject({ status: 200, body: { retryPolicy: null } });
    expect(await stored(body.id)).toBeNull();
    expect(published(body.id)).toEqual([
      { delaysMs: [5000] },
      { initialMs: 1000, factor: 2, maxDelayMs: 3_600_000, attempts: 10 },
      { initialMs: 1000, factor: 2, maxDelayMs: 3_600_000, attempts: 10 },
      null,
    ]);
  });

  it.each([
    ['POST', { delays: ['1s', '5s', 'soon'] }, 'retryPolicy.delays.2', 'must be a duration'],
    ['POST', { delays: ['100h', '100h'] }, 'retryPolicy.delays', 'must not add up to more than 7 days'],
    ['POST', { initial: '1s', factor: 2, maxDelay: '1h' }, 'retryPolicy.attempts', 'must be a number'],
    ['PATCH', { initial: '1h', factor: 2, maxDelay: '168h', attempts: 50 }, 'retryPolicy.attempts', 'must not add up to more than 7 days'],
    ['PATCH', { delays: ['1s'], extra: true }, 'retryPolicy', 'unknown field(s): extra'],
    ['PATCH', '1s,5s', 'retryPolicy', 'must be null'],
  ])('answers %s with %j by 400 naming %s, and saves nothing', async (method, retryPolicy, field, rule) => {
    const { body } = await call<{ id: string }>('POST', base, { url: 'https://hooks.example.com/bad' });
    const before = published(body.id).length;
    const res =
      method === 'POST'
        ? await call('POST', base, { url: 'https://hooks.example.com/bad2', retryPolicy })
        : await call('PATCH', `${base}/${body.id}`, { retryPolicy });
    expect(res).toMatchObject({
      status: 400,
      body: { error: 'validation_failed', issues: expect.arrayContaining([{ field, rule: expect.stringContaining(rule) }]) },
    });
    expect(await stored(body.id)).toBeNull();
    expect(published(body.id)).toHaveLength(before);
  });
});
