import type { EndpointId, TenantId } from '@hookline/contracts';
import { freshDatabase, type InProcessService } from '@hookline/testing';
import { randomBytes } from 'node:crypto';
import { startAdminApi } from '../../admin-api.fixtures';
import { EndpointEntity } from '../endpoint.entity';
import { EndpointRepository } from '../endpoint.repository';
import { ChangeEndpointState } from './change-endpoint-state.usecase';

interface View {
  id: string;
  enabled: boolean;
  disableAfterFailures: number;
  state: { state: string; cause: string | null; actor: string | null; reason: string | null; changedAt: string | null };
}

/**
 * Endpoint states through admin-api in process on a real PostgreSQL (Kafka
 * recorded): the routes' transitions, idempotency and 409s, who changed the
 * state and why, and the `endpoint.*` event each change emits after the
 * endpoint version carrying it.
 */
describe('endpoint state routes', () => {
  const database = freshDatabase([EndpointEntity]);
  const TOKEN = `admin-token-${randomBytes(8).toString('hex')}`;
  const T = 'states';
  let api: InProcessService;

  const create = async (body: Record<string, unknown> = {}) => {
    const res = await api.call<View>('POST', `/v1/tenants/${T}/endpoints`, { token: TOKEN, body: { url: 'https://hooks.example.com/s', ...body } });
    expect(res.status).toBe(201);
    return res.body;
  };
  const act = (id: string, action: string, body?: unknown) => api.call<View>('POST', `/v1/tenants/${T}/endpoints/${id}/${action}`, { token: TOKEN, body });
  const eventsAbout = (id: string) =>
    api.produced
      .filter((p) => p.topic === 'hookline.events.accepted.v1')
      .map(
        (p) =>
          p.value as {
            id: string;
            type: string;
            data: { endpoint: { id: string }; state: string; previousState: string; cause: string; actor: string | null; reason: string };
          },
      )
      .filter((e) => e.data.endpoint.id === id);

  beforeAll(async () => {
    api = await startAdminApi(database.url, TOKEN);
  }, 60_000);
  afterAll(() => api?.close());

  it('pauses, resumes, disables and enables, recording who and why, each change announced once after its endpoint version', async () => {
    const endpoint = await create();
    expect(endpoint.state).toEqual({ state: 'enabled', cause: null, actor: null, reason: null, changedAt: null });
    const paused = await act(endpoint.id, 'pause', { reason: 'receiver maintenance' });
    expect(paused.status).toBe(200);
    expect(paused.body).toMatchObject({ enabled: true, state: { state: 'paused', cause: 'operator', actor: 'bootstrap', reason: 'receiver maintenance' } });
    expect(Date.parse(paused.body.state.changedAt!)).not.toBeNaN();
    expect((await act(endpoint.id, 'resume')).body.state).toMatchObject({ state: 'enabled', reason: 'resumed by an operator' });
    expect((await act(endpoint.id, 'disable')).body).toMatchObject({ enabled: false, state: { state: 'disabled' } });
    expect((await act(endpoint.id, 'enable')).body).toMatchObject({ enabled: true, state: { state: 'enabled' } });

    const events = eventsAbout(endpoint.id);
    expect(events.map((e) => [e.type, e.data.previousState, e.data.state, e.data.cause, e.data.actor])).toEqual([
      ['endpoint.paused', 'enabled', 'paused', 'operator', 'bootstrap'],
      ['endpoint.resumed', 'paused', 'enabled', 'operator', 'bootstrap'],
      ['endpoint.disabled', 'enabled', 'disabled', 'operator', 'bootstrap'],
      ['endpoint.enabled', 'disabled', 'enabled', 'operator', 'bootstrap'],
    ]);
    expect(events[0].data.reason).toBe('receiver maintenance');
    // Ids follow the endpoint's state versions (2..5: each change is one version); the outbox is empty once emitted.
    expect(events.map((e) => e.id)).toEqual([2, 3, 4, 5].map((v, i) => `hookline_${events[i].type}_${endpoint.id}_${v}`));
    expect(await database.db.query(`SELECT id FROM endpoint_state_events WHERE endpoint_id = $1`, [endpoint.id])).toEqual([]);

    // Each event follows the endpoint version that carries its state on the endpoints topic.
    const order = api.produced
      .filter((p) => p.key === endpoint.id || (p.value as { data?: { endpoint?: { id?: string } } }).data?.endpoint?.id === endpoint.id)
      .map((p) => (p.topic === 'hookline.endpoints.changed.v1' ? `config:${(p.value as { state: string }).state}` : (p.value as { type: string }).type));
    expect(order).toEqual([
      'config:enabled',
      'config:paused',
      'endpoint.paused',
      'config:enabled',
      'endpoint.resumed',
      'config:disabled',
      'endpoint.disabled',
      'config:enabled',
      'endpoint.enabled',
    ]);
  });

  it('answers 200 and announces nothing when asked for the state the endpoint is in', async () => {
    const endpoint = await create();
    await act(endpoint.id, 'pause');
    const again = await act(endpoint.id, 'pause', { reason: 'twice' });
    expect(again.status).toBe(200);
    expect(again.body.state).toMatchObject({ state: 'paused', reason: 'paused by an operator' });
    expect((await act(endpoint.id, 'disable')).status).toBe(200);
    expect((await act(endpoint.id, 'disable')).status).toBe(200);
    expect(eventsAbout(endpoint.id).map((e) => e.type)).toEqual(['endpoint.paused', 'endpoint.disabled']);
  });

  it.each([
    ['resume', 'disabled', 'a disabled endpoint cannot be resumed'],
    ['pause', 'disabled', 'a disabled endpoint cannot be paused'],
    ['enable', 'paused', 'a paused endpoint is resumed, not enabled'],
  ])('answers 409 to %s on a %s endpoint and changes nothing', async (action, state, message) => {
    const endpoint = await create();
    await act(endpoint.id, state === 'disabled' ? 'disable' : 'pause');
    const refused = await act(endpoint.id, action);
    expect(refused).toMatchObject({ status: 409, body: { error: 'invalid_state_transition', message: expect.stringContaining(message) } });
    expect((await api.call<View>('GET', `/v1/tenants/${T}/endpoints/${endpoint.id}`, { token: TOKEN })).body.state.state).toBe(state);
  });

  it.each([
    ['a reason over 500 characters', { reason: 'x'.repeat(501) }, 'reason', 'must be at most 500 characters'],
    ['an empty reason', { reason: '' }, 'reason', 'must not be empty'],
    ['a reason that is no string', { reason: 5 }, 'reason', 'must be a string'],
    ['an unknown field', { why: 'x' }, '(root)', 'unknown field(s): why'],
  ])('answers 400 naming the field to %s', async (_name, body, field, rule) => {
    const endpoint = await create();
    expect(await act(endpoint.id, 'pause', body)).toMatchObject({ status: 400, body: { error: 'validation_failed', issues: [{ field, rule }] } });
  });

  it('answers 404 for an unknown endpoint', async () => {
    expect((await act('5b7c7a0e-8a3c-4d0e-9a53-1f6f2a4e9c11', 'pause')).status).toBe(404);
    expect((await act('not-an-id', 'disable')).status).toBe(404);
  });

  it('treats PATCH enabled as an operator disable or enable, announced the same way', async () => {
    const endpoint = await create();
    const patched = await api.call<View>('PATCH', `/v1/tenants/${T}/endpoints/${endpoint.id}`, { token: TOKEN, body: { enabled: false, description: 'old' } });
    expect(patched.body).toMatchObject({ enabled: false, state: { state: 'disabled', cause: 'operator', actor: 'bootstrap' } });
    expect((await api.call('PATCH', `/v1/tenants/${T}/endpoints/${endpoint.id}`, { token: TOKEN, body: { enabled: true } })).status).toBe(200);
    await act(endpoint.id, 'pause');
    expect((await api.call('PATCH', `/v1/tenants/${T}/endpoints/${endpoint.id}`, { token: TOKEN, body: { enabled: true } })).status).toBe(409);
    expect(eventsAbout(endpoint.id).map((e) => e.type)).toEqual(['endpoint.disabled', 'endpoint.enabled', 'endpoint.paused']);
  });

  it('validates disableAfterFailures (1-1000, default 10) on create and PATCH and shows it', async () => {
    expect((await create()).disableAfterFailures).toBe(10);
    const three = await create({ disableAfterFailures: 3 });
    expect(three.disableAfterFailures).toBe(3);
    for (const bad of [0, 1001, 2.5, '3'])
      expect(await api.call('PATCH', `/v1/tenants/${T}/endpoints/${three.id}`, { token: TOKEN, body: { disableAfterFailures: bad } })).toMatchObject({
        status: 400,
        body: { issues: [{ field: 'disableAfterFailures' }] },
      });
    expect(
      (await api.call<View>('PATCH', `/v1/tenants/${T}/endpoints/${three.id}`, { token: TOKEN, body: { disableAfterFailures: 1000 } })).body
        .disableAfterFailures,
    ).toBe(1000);
  });

  describe('automatic disables (the retry-scheduler asks)', () => {
    const useCase = () =>
      new ChangeEndpointState(
        new EndpointRepository(database.db),
        { executeOrDefer: async () => undefined },
        { relayOrDefer: async () => undefined },
        { now: () => new Date() },
      );
    const auto = (id: string, endpointVersion: number) =>
      useCase().execute(T as TenantId, id as EndpointId, {
        action: 'disable',
        cause: 'gone',
        actor: null,
        reason: 'the endpoint answered 410 Gone',
        onlyIfEnabledSince: endpointVersion,
      });

    it('disables an enabled endpoint with the cause and reason given, no actor', async () => {
      const endpoint = await create();
      expect((await auto(endpoint.id, 1)).changed).toBe(true);
      const row = await new EndpointRepository(database.db).findLive(T as TenantId, endpoint.id as EndpointId);
      expect(row).toMatchObject({
        state: 'disabled',
        enabled: false,
        stateCause: 'gone',
        stateActor: null,
        stateReason: 'the endpoint answered 410 Gone',
        stateVersion: 2,
      });
      const outbox = await database.db.query(`SELECT event FROM endpoint_state_events WHERE endpoint_id = $1`, [endpoint.id]);
      expect(outbox.map((r: { event: { type: string; data: { cause: string } } }) => [r.event.type, r.event.data.cause])).toEqual([
        ['endpoint.disabled', 'gone'],
      ]);
    });

    it('never undoes a later operator enable, nor overrides a pause', async () => {
      const reEnabled = await create();
      await act(reEnabled.id, 'disable');
      await act(reEnabled.id, 'enable'); // state version 3
      expect((await auto(reEnabled.id, 2)).changed).toBe(false);
      expect((await auto(reEnabled.id, 3)).endpoint.state).toBe('disabled');

      const paused = await create();
      await act(paused.id, 'pause');
      expect((await auto(paused.id, 5)).changed).toBe(false);
      expect((await api.call<View>('GET', `/v1/tenants/${T}/endpoints/${paused.id}`, { token: TOKEN })).body.state.state).toBe('paused');
    });
  });
});
