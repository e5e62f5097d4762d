import { builtinEventType } from '@hookline/catalog';
import { AttemptsCompletedTopic, type AttemptOutcome } from '@hookline/contracts';
import { freshDatabase, Receiver, type InProcessService } from '@hookline/testing';
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { startAdminApi } from '../../admin-api.fixtures';

interface Trial {
  mode: string;
  event: { id: string; type: string; data: Record<string, unknown> };
  triggered: boolean;
  matched: boolean;
  conditions: { kind: string; matched: boolean; items: { path: string; matched: boolean; actual: unknown }[] } | null;
  actions: {
    key: string;
    transform: { ok: boolean; value?: unknown; reason?: string } | null;
    deliveries: {
      endpointId: string;
      skipped?: string;
      request?: { url: string; headers: Record<string, string>; body: string };
      attempt?: { mode: string; succeeded: boolean; eventId: string };
    }[];
  }[];
}

/**
 * `POST /v1/tenants/:tenantId/rules/:id/trial` over HTTP, in process on a real
 * PostgreSQL (Kafka recorded), with a real receiver on 127.0.0.1: the
 * explanation of a non-match, the exact signed request of a dry run, and a
 * live run sent and logged as a test delivery.
 */
describe('rule trial route', () => {
  const database = freshDatabase();
  const TOKEN = `admin-token-${randomBytes(8).toString('hex')}`;
  const receiver = new Receiver();
  let api: InProcessService;
  let endpoint: { id: string; secret: string };
  let ruleId: string;
  const call = <T>(path: string, body: unknown, token = TOKEN) => api.call<T>('POST', path, { token, body });

  beforeAll(async () => {
    await receiver.start();
    api = await startAdminApi(database.url, TOKEN, { HOOKLINE_ALLOW_PRIVATE_TARGETS: 'true' });
    endpoint = (await call<typeof endpoint>('/v1/tenants/acme/endpoints', { url: `${receiver.url}/oncall`, eventTypes: ['oncall.*'] })).body;
    const rule = await call<{ id: string }>('/v1/tenants/acme/rules', {
      name: 'VIP tickets',
      trigger: { eventTypes: ['ticket.created'] },
      conditions: {
        all: [
          { path: 'data.priority', op: 'equals', value: 'high' },
          { path: 'data.customer.tier', op: 'in', value: ['gold', 'platinum'] },
        ],
      },
      actions: [{ key: 'page', type: 'deliver', endpointIds: [endpoint.id], transform: '{ "title": "VIP: " & data.subject }' }],
    });
    expect(rule.status).toBe(201);
    ruleId = rule.body.id;
  }, 60_000);
  afterAll(async () => {
    await api?.close();
    await receiver.stop();
  });

  it('explains a non-match with the failing condition and the value it found, on the type’s catalog example when given no event', async () => {
    const example = builtinEventType('ticket.created')!.example as { customer: { tier: string } };
    const res = await call<Trial>(`/v1/tenants/acme/rules/${ruleId}/trial`, { mode: 'dry', event: { data: { ...example, priority: 'low' } } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ mode: 'dry', triggered: true, matched: false, event: { type: 'ticket.created' } });
    expect(res.body.conditions!.items).toEqual([
      expect.objectContaining({ path: 'data.priority', matched: false, actual: 'low' }),
      expect.objectContaining({ path: 'data.customer.tier', matched: true, actual: example.customer.tier }),
    ]);
    const untouched = await call<Trial>(`/v1/tenants/acme/rules/${ruleId}/trial`, { mode: 'dry' });
    expect(untouched.body.event.data).toEqual(builtinEventType('ticket.created')!.example);
  });

  it('dry: shows the exact request each action would send, signed with the endpoint’s secret, and sends nothing', async () => {
    const before = receiver.requests.length;
    const res = await call<Trial>(`/v1/tenants/acme/rules/${ruleId}/trial`, {
      mode: 'dry',
      event: { id: 'tkt_9', data: { subject: 'SSO down', priority: 'high', customer: { tier: 'gold' } } },
    });
    expect(res.body).toMatchObject({ matched: true, actions: [{ key: 'page', transform: { ok: true, value: { title: 'VIP: SSO down' } } }] });
    const { request } = res.body.actions[0].deliveries[0];
    expect(request!.url).toBe(`${receiver.url}/oncall`);
    expect(request!.headers['webhook-id']).toBe(`tkt_9.${ruleId}.page`);
    expect(new Webhook(endpoint.secret).verify(request!.body, request!.headers)).toEqual({ title: 'VIP: SSO down' });
    expect(receiver.requests.length).toBe(before);
  });

  it('live: sends each request as a test delivery, logged with mode test, when the rule runs; a non-match sends nothing', async () => {
    const before = api.produced.filter((p) => p.topic === AttemptsCompletedTopic.name).length;
    const live = await call<Trial>(`/v1/tenants/acme/rules/${ruleId}/trial`, {
      mode: 'live',
      event: { data: { subject: 'Outage', priority: 'high', customer: { tier: 'platinum' } } },
    });
    expect(live.body.actions[0].deliveries).toEqual([{ endpointId: endpoint.id, attempt: expect.objectContaining({ mode: 'test', succeeded: true }) }]);
    const [sent] = await receiver.waitFor((r) => r.path === '/oncall', { what: 'the live trial' });
    expect(sent.headers['x-hookline-test']).toBe('true');
    expect(JSON.parse(sent.body)).toEqual({ title: 'VIP: Outage' });
    const outcomes = api.produced
      .filter((p) => p.topic === AttemptsCompletedTopic.name)
      .slice(before)
      .map((p) => p.value as AttemptOutcome);
    expect(outcomes).toEqual([expect.objectContaining({ mode: 'test', endpointId: endpoint.id })]);

    const count = receiver.requests.length;
    const miss = await call<Trial>(`/v1/tenants/acme/rules/${ruleId}/trial`, { mode: 'live', event: { data: { priority: 'low' } } });
    expect(miss.body.matched).toBe(false);
    expect(miss.body.actions[0].deliveries[0].attempt).toBeUndefined();
    expect(receiver.requests.length).toBe(count);
  });

  it('takes endpoints:write, and answers 404 for a rule that is not there', async () => {
    const key = (await call<{ key: string }>('/v1/api-keys', { name: 'k', tenantId: 'acme', scopes: ['rules:write'] })).body.key;
    expect(await call(`/v1/tenants/acme/rules/${ruleId}/trial`, { mode: 'dry' }, key)).toMatchObject({
      status: 403,
      body: { missingScope: 'endpoints:write' },
    });
    expect((await call('/v1/tenants/acme/rules/9f9f9f9f-9f9f-4f9f-8f9f-9f9f9f9f9f9f/trial', { mode: 'dry' })).status).toBe(404);
    expect(await call(`/v1/tenants/acme/rules/${ruleId}/trial`, { mode: 'soon' })).toMatchObject({ status: 400, body: { issues: [{ field: 'mode' }] } });
  });

  it('dry: shows the Slack message a chat action would post, to the masked URL, and a live run posts it to the sealed one', async () => {
    const slack = await call<{ id: string }>('/v1/tenants/acme/endpoints', { url: `${receiver.url}/services/T1/B1/tok3n`, chat: { tool: 'slack' } });
    expect(slack.status).toBe(201);
    const rule = await call<{ id: string }>('/v1/tenants/acme/rules', {
      name: 'VIP tickets to Slack',
      trigger: { eventTypes: ['ticket.created'] },
      actions: [
        { key: 'slack', type: 'chat', endpointIds: [slack.body.id], template: { title: 'VIP: {{ data.subject }}', text: 'tier {{ data.customer.tier }}' } },
      ],
    });
    expect(rule.status).toBe(201);
    const event = { data: { ...(builtinEventType('ticket.created')!.example as object), subject: 'SSO down' } };
    const dry = await call<Trial>(`/v1/tenants/acme/rules/${rule.body.id}/trial`, { mode: 'dry', event });
    const [delivery] = dry.body.actions[0].deliveries;
    expect(delivery.request!.url).toBe(`${new URL(receiver.url).origin}/…`);
    expect(JSON.parse(delivery.request!.body)).toMatchObject({ text: expect.stringContaining('VIP: SSO down'), blocks: expect.any(Array) });

    const live = await call<Trial>(`/v1/tenants/acme/rules/${rule.body.id}/trial`, { mode: 'live', event });
    expect(live.body.actions[0].deliveries[0].attempt).toMatchObject({ mode: 'test', succeeded: true });
    const [posted] = await receiver.waitFor((r) => r.path === '/services/T1/B1/tok3n', { what: 'the live trial’s Slack message' });
    expect(JSON.parse(posted.body)).toEqual(JSON.parse(delivery.request!.body));
    expect(JSON.stringify(live.body)).not.toContain('tok3n');
  });

  it('refuses a chat action naming a webhook endpoint (422 not_a_chat_endpoint) and a chat template without text (400)', async () => {
    const rule = (actions: unknown[]) => call('/v1/tenants/acme/rules', { name: 'x', trigger: { eventTypes: ['ticket.created'] }, actions });
    expect(await rule([{ type: 'chat', endpointIds: [endpoint.id], template: { text: 'hi' } }])).toMatchObject({
      status: 422,
      body: { error: 'not_a_chat_endpoint', issues: [{ field: 'actions.0.endpointIds.0' }] },
    });
    expect(await rule([{ type: 'chat', endpointIds: [endpoint.id], template: { title: 'no text' } }])).toMatchObject({
      status: 400,
      body: { issues: [{ field: 'actions.0.template.text' }] },
    });
  });
});
