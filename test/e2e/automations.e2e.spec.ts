import { builtinEventType } from '@hookline/catalog';
import { EventsDeadLetteredTopic, EventsIngestedTopic } from '@hookline/contracts';
import { waitFor } from '@hookline/infra';
import { createKafka, TopicNames } from '@hookline/kafka';
import { verifyWebhook } from '@hookline/verify';
import { Webhook } from 'standardwebhooks';
import { readTopic, stackForSuite } from '../harness/test-stack';

const ticket = builtinEventType('ticket.created')!.example as Record<string, unknown> & { customer: Record<string, unknown> };
const DEAD_LETTER_MARKER = 'not json: the catalog suite marker';
/** High-priority tickets of gold or platinum customers: the conditions of the rules below. */
const VIP = {
  all: [
    { path: 'data.priority', op: 'equals', value: 'high' },
    { path: 'data.customer.tier', op: 'in', value: ['gold', 'platinum'] },
  ],
};

interface EventView {
  id: string;
  schemaViolations: { pointer: string; rule: string }[] | null;
}

/**
 * Schema modes on the real pipeline: a mode saved through admin-api applies to
 * the very next event ingest accepts (the catalog reaches ingest over its
 * compacted topic, caught up before each check), over HTTP and over Kafka.
 */
describe('automations on the real pipeline: the event catalog enforced by ingest, endpoint filters, rules', () => {
  // One request at a time per endpoint: deliveries reach an endpoint in the order their requests were made.
  const { stack, receiver } = stackForSuite({ env: { DISPATCHER_ENDPOINT_CONCURRENCY: '1' } });
  const kafka = createKafka({ clientId: 'catalog-test', brokers: [stack.brokers] });
  const producer = kafka.producer();

  beforeAll(() => producer.connect());
  afterAll(() => producer.disconnect());

  const post = (body: unknown) => stack.api<{ error?: string; issues?: { field: string; rule: string }[]; id?: string }>('ingest', 'POST', '/v1/events', body);
  const setMode = async (tenantId: string, name: string, schemaMode: string) =>
    expect((await stack.api('admin-api', 'PATCH', `/v1/tenants/${tenantId}/event-types/${name}`, { schemaMode })).status).toBe(200);

  it('refuses an event breaking an enforced built-in schema with 422 naming each pointer, from the first event after the change, and accepts it again once off', async () => {
    expect((await stack.api('admin-api', 'POST', '/v1/tenants/cat-a/endpoints', { url: `${receiver.url}/a`, eventTypes: ['ticket.*'] })).status).toBe(201);
    const bad = { tenantId: 'cat-a', type: 'ticket.created', id: 'tkt_bad', data: { ...ticket, priority: 'critical', customer: { name: 'x' } } };
    // Off by default: accepted as sent.
    expect((await post({ ...bad, id: 'tkt_bad_off' })).status).toBe(202);

    await setMode('cat-a', 'ticket.created', 'enforce');
    const refused = await post(bad);
    expect(refused.status).toBe(422);
    expect(refused.body.error).toBe('schema_violation');
    expect(refused.body.issues).toEqual(
      expect.arrayContaining([
        { field: '/data/priority', rule: expect.stringContaining('must be one of') },
        { field: '/data/customer/id', rule: 'is required' },
      ]),
    );
    // In a batch, one refused event refuses the batch, named by its index.
    const batch = await stack.api<{ issues: { field: string }[] }>('ingest', 'POST', '/v1/events/batch', {
      events: [{ ...bad, id: 'tkt_ok_in_batch', data: ticket }, bad],
    });
    expect(batch.status).toBe(422);
    expect(batch.body.issues.map((i) => i.field)).toContain('/events/1/data/priority');
    expect((await post({ tenantId: 'cat-a', type: 'ticket.created', id: 'tkt_good', data: ticket })).status).toBe(202);
    // Another tenant's ticket.created is not checked.
    expect((await post({ ...bad, tenantId: 'cat-other' })).status).toBe(202);

    await setMode('cat-a', 'ticket.created', 'off');
    expect((await post({ ...bad, id: 'tkt_bad_again' })).status).toBe(202);

    await receiver.waitFor((r) => r.headers['webhook-id'] === 'tkt_bad_again', { what: 'the event accepted once the mode is off' });
    expect(receiver.requests.map((r) => r.headers['webhook-id'])).toEqual(['tkt_bad_off', 'tkt_good', 'tkt_bad_again']);
  });

  it('accepts an event breaking a custom type under warn and flags it in the log', async () => {
    const created = await stack.api('admin-api', 'POST', '/v1/tenants/cat-b/event-types', {
      name: 'order.shipped',
      schema: { type: 'object', properties: { orderId: { type: 'string' }, carrier: { enum: ['ups', 'dhl'] } }, required: ['orderId', 'carrier'] },
      example: { orderId: 'ord_1', carrier: 'ups' },
      schemaMode: 'warn',
    });
    expect(created.status).toBe(201);
    expect((await post({ tenantId: 'cat-b', type: 'order.shipped', id: 'ord_warned', data: { orderId: 42 } })).status).toBe(202);
    expect((await post({ tenantId: 'cat-b', type: 'order.shipped', id: 'ord_clean', data: { orderId: 'ord_2', carrier: 'dhl' } })).status).toBe(202);
    const view = (id: string) =>
      waitFor(
        async () => {
          const res = await stack.api<EventView>('admin-api', 'GET', `/v1/events/${id}?tenantId=cat-b`);
          return res.status === 200 ? res.body : undefined;
        },
        { timeoutMs: 20_000, intervalMs: 200, description: `event ${id} in the log` },
      );
    expect((await view('ord_warned')).schemaViolations).toEqual([
      { pointer: '/carrier', rule: 'is required' },
      { pointer: '/orderId', rule: 'must be string' },
    ]);
    expect((await view('ord_clean')).schemaViolations).toBeNull();
  });

  it('dead-letters a Kafka-ingested event breaking an enforced schema with the same reason, and accepts the events beside it', async () => {
    expect((await stack.api('admin-api', 'POST', '/v1/tenants/cat-k/endpoints', { url: `${receiver.url}/k`, eventTypes: ['ticket.*'] })).status).toBe(201);
    await setMode('cat-k', 'ticket.created', 'enforce');
    const topic = new TopicNames(stack.prefix).of(EventsIngestedTopic);
    await producer.send({
      topic,
      messages: [
        { key: 'cat-k', value: JSON.stringify({ tenantId: 'cat-k', type: 'ticket.created', id: 'k_bad', data: { ...ticket, priority: 'critical' } }) },
        { key: 'cat-k', value: JSON.stringify({ tenantId: 'cat-k', type: 'ticket.created', id: 'k_good', data: ticket }) },
        { key: 'cat-k', value: DEAD_LETTER_MARKER },
      ],
    });
    await receiver.waitFor((r) => r.headers['webhook-id'] === 'k_good', { what: 'the valid event beside the refused one' });
    const letters = (await readTopic(stack, EventsDeadLetteredTopic, (values) => values.some((v) => v.includes(DEAD_LETTER_MARKER)))).map(
      (v) => JSON.parse(v) as { reason: string; issues: { field: string; rule: string }[]; value: string | null },
    );
    const refused = letters.filter((l) => l.value?.includes('k_bad'));
    expect(refused).toEqual([
      expect.objectContaining({
        reason: expect.stringMatching(/^schema_violation: \/data\/priority: must be one of/),
        issues: [{ field: '/data/priority', rule: expect.stringContaining('must be one of') }],
      }),
    ]);
    expect(receiver.requests.filter((r) => r.path === '/k').map((r) => r.headers['webhook-id'])).toEqual(['k_good']);
  });

  it('delivers to a filtered endpoint only the events matching its filter, and every event to an endpoint without one', async () => {
    const vip = {
      all: [
        { path: 'data.priority', op: 'equals', value: 'high' },
        { path: 'data.customer.tier', op: 'in', value: ['gold', 'platinum'], ignoreCase: true },
      ],
    };
    const created = await stack.api('admin-api', 'POST', '/v1/tenants/cat-f/endpoints', {
      url: `${receiver.url}/vip`,
      eventTypes: ['ticket.created'],
      filter: vip,
    });
    expect(created.status).toBe(201);
    expect((await stack.api('admin-api', 'POST', '/v1/tenants/cat-f/endpoints', { url: `${receiver.url}/every`, eventTypes: ['ticket.*'] })).status).toBe(201);
    const send = async (id: string, data: Record<string, unknown>) =>
      expect((await post({ tenantId: 'cat-f', type: 'ticket.created', id, data: { ...ticket, ...data } })).status).toBe(202);
    await send('f_gold_high', { priority: 'high', customer: { ...ticket.customer, tier: 'Gold' } });
    await send('f_free_high', { priority: 'high', customer: { ...ticket.customer, tier: 'free' } });
    await send('f_gold_low', { priority: 'low', customer: { ...ticket.customer, tier: 'gold' } });
    await send('f_platinum_high', { priority: 'high', customer: { ...ticket.customer, tier: 'platinum' } });

    // Each endpoint gets its requests one at a time, in order: once the last event is in, nothing of the earlier ones is on its way.
    await receiver.waitFor((r) => r.path === '/vip' && r.headers['webhook-id'] === 'f_platinum_high', { what: 'the last matching event at /vip' });
    await receiver.waitFor((r) => r.path === '/every' && r.headers['webhook-id'] === 'f_platinum_high', { what: 'the last event at /every' });
    const at = (path: string) => receiver.requests.filter((r) => r.path === path).map((r) => r.headers['webhook-id']);
    expect(at('/vip')).toEqual(['f_gold_high', 'f_platinum_high']);
    expect(at('/every')).toEqual(['f_gold_high', 'f_free_high', 'f_gold_low', 'f_platinum_high']);
  });

  it('runs a rule: a matching event is delivered to the action’s endpoint with the transformed body, signed, under its own message id; the others are not', async () => {
    const endpoint = await stack.api<{ id: string; secret: string }>('admin-api', 'POST', '/v1/tenants/cat-r/endpoints', {
      url: `${receiver.url}/ruled`,
      eventTypes: ['invoice.*'],
    });
    expect(endpoint.status).toBe(201);
    const rule = await stack.api<{ id: string }>('admin-api', 'POST', '/v1/tenants/cat-r/rules', {
      name: 'VIP tickets',
      trigger: { eventTypes: ['ticket.created'] },
      conditions: VIP,
      actions: [
        { key: 'page', type: 'deliver', endpointIds: [endpoint.body.id], transform: '{ "title": "VIP: " & data.subject, "customer": data.customer.name }' },
      ],
    });
    expect(rule.status).toBe(201);
    const send = async (id: string, data: Record<string, unknown>) =>
      expect((await post({ tenantId: 'cat-r', type: 'ticket.created', id, data: { ...ticket, ...data } })).status).toBe(202);
    await send('r_free', { priority: 'high', customer: { ...ticket.customer, tier: 'free' } });
    await send('r_low', { priority: 'low', customer: { ...ticket.customer, tier: 'gold' } });
    await send('r_vip', { priority: 'high', subject: 'Cannot log in', customer: { ...ticket.customer, tier: 'platinum' } });

    const messageId = `r_vip.${rule.body.id}.page`;
    const [delivered] = await receiver.waitFor((r) => r.path === '/ruled' && r.headers['webhook-id'] === messageId, { what: 'the rule’s delivery' });
    // Requests reach an endpoint one at a time, in order: nothing of the earlier events is on its way.
    expect(receiver.requests.filter((r) => r.path === '/ruled').map((r) => r.headers['webhook-id'])).toEqual([messageId]);
    expect(new Webhook(endpoint.body.secret).verify(delivered.body, delivered.headers)).toEqual({
      title: 'VIP: Cannot log in',
      customer: ticket.customer.name,
    });

    // The log has the delivery, with the rule it came from.
    const log = await waitFor(
      async () => {
        const res = await stack.api<{ deliveries: { endpointId: string; status: string }[] }>('admin-api', 'GET', '/v1/events/r_vip?tenantId=cat-r');
        return res.status === 200 && res.body.deliveries.some((d) => d.status === 'succeeded') ? res.body : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 200, description: 'the rule’s delivery in the log' },
    );
    expect(log.deliveries).toEqual([
      expect.objectContaining({ endpointId: endpoint.body.id, status: 'succeeded', rule: { id: rule.body.id, version: 1, actionKey: 'page' } }),
    ]);
  });

  it('runs the Slack rule: a VIP ticket posts a Slack message to the chat endpoint’s sealed URL and a transformed body to an endpoint; other tickets post nothing', async () => {
    // The receiver stands in for Slack: the path is the part of a Slack webhook URL that holds its token.
    const slackPath = '/services/T0HOOKLINE/B0RULES/s3cr3tT0k3n';
    const slack = await stack.api<{ id: string; url: string; chat: unknown }>('admin-api', 'POST', '/v1/tenants/cat-s/endpoints', {
      url: `${receiver.url}${slackPath}`,
      chat: { tool: 'slack' },
    });
    expect(slack.status).toBe(201);
    expect(slack.body.url).toBe(`${new URL(receiver.url).origin}/…`);
    expect(slack.body.chat).toEqual({ tool: 'slack', telegramChatId: null, template: null });
    const crm = await stack.api<{ id: string; secret: string }>('admin-api', 'POST', '/v1/tenants/cat-s/endpoints', {
      url: `${receiver.url}/crm`,
      eventTypes: ['invoice.*'],
    });
    const rule = await stack.api<{ id: string }>('admin-api', 'POST', '/v1/tenants/cat-s/rules', {
      name: 'VIP tickets to Slack',
      trigger: { eventTypes: ['ticket.created'] },
      conditions: VIP,
      actions: [
        {
          key: 'slack',
          type: 'chat',
          endpointIds: [slack.body.id],
          template: {
            title: 'VIP ticket: {{ data.subject }}',
            text: '{{ data.customer.name }} ({{ data.customer.tier }})',
            fields: [{ label: 'Priority', value: '{{ data.priority }}' }],
          },
        },
        { key: 'crm', type: 'deliver', endpointIds: [crm.body.id], transform: '{ "ticket": data.id, "customer": data.customer.name }' },
      ],
    });
    expect(rule.status).toBe(201);
    const send = async (id: string, data: Record<string, unknown>) =>
      expect((await post({ tenantId: 'cat-s', type: 'ticket.created', id, data: { ...ticket, ...data } })).status).toBe(202);
    await send('s_free', { priority: 'high', customer: { ...ticket.customer, tier: 'free' } });
    await send('s_low', { priority: 'low', customer: { ...ticket.customer, tier: 'gold' } });
    await send('s_vip', { priority: 'high', subject: 'Checkout <broken>', customer: { ...ticket.customer, tier: 'gold' } });

    const [posted] = await receiver.waitFor((r) => r.path === slackPath && r.headers['webhook-id'] === `s_vip.${rule.body.id}.slack`, {
      what: 'the Slack message',
    });
    await receiver.waitFor((r) => r.path === '/crm' && r.headers['webhook-id'] === `s_vip.${rule.body.id}.crm`, { what: 'the transformed delivery' });
    // One request at a time per endpoint, in order: nothing of the other tickets is on its way.
    expect(receiver.requests.filter((r) => r.path === slackPath || r.path === '/crm').map((r) => r.headers['webhook-id'])).toHaveLength(2);
    const name = String(ticket.customer.name);
    expect(JSON.parse(posted.body)).toEqual({
      text: 'VIP ticket: Checkout &lt;broken&gt;: ' + `${name} (gold)`.replace(/&/g, '&amp;'),
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: 'VIP ticket: Checkout <broken>', emoji: true } },
        { type: 'section', text: { type: 'mrkdwn', text: `${name} (gold)`.replace(/&/g, '&amp;') } },
        { type: 'section', fields: [{ type: 'mrkdwn', text: '*Priority*\nhigh' }] },
      ],
    });
    expect(posted.headers['content-type']).toBe('application/json');

    // The log names the masked URL only: the token in the path is in no answer.
    const log = await waitFor(
      async () => {
        const res = await stack.api<{ deliveries: { endpointId: string; status: string }[] }>('admin-api', 'GET', '/v1/events/s_vip?tenantId=cat-s');
        return res.status === 200 && res.body.deliveries.filter((d) => d.status === 'succeeded').length === 2 ? res : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 200, description: 'both rule deliveries in the log' },
    );
    const view = await stack.api('admin-api', 'GET', `/v1/tenants/cat-s/endpoints/${slack.body.id}`);
    for (const answer of [log.body, view.body]) expect(JSON.stringify(answer)).not.toContain('s3cr3tT0k3n');
  });

  it('invokes an action contract from a rule, asynchronously: one signed request per matching event, audited as the rule’s', async () => {
    const contract = await stack.api<{ id: string; secret: string }>('admin-api', 'POST', '/v1/tenants/cat-i/action-contracts', {
      name: 'tickets.escalate',
      url: `${receiver.url}/backend/escalate`,
      inputSchema: { type: 'object', properties: { ticketId: { type: 'string' } }, required: ['ticketId'] },
    });
    expect(contract.status).toBe(201);
    const rule = await stack.api<{ id: string }>('admin-api', 'POST', '/v1/tenants/cat-i/rules', {
      name: 'Escalate VIP tickets',
      trigger: { eventTypes: ['ticket.created'] },
      conditions: { path: 'data.priority', op: 'equals', value: 'high' },
      actions: [{ key: 'escalate', type: 'invoke', contractId: contract.body.id, input: '{ "ticketId": data.id, "subject": data.subject }' }],
    });
    expect(rule.status).toBe(201);
    await post({ tenantId: 'cat-i', type: 'ticket.created', id: 'i_low', data: { ...ticket, priority: 'low' } });
    expect((await post({ tenantId: 'cat-i', type: 'ticket.created', id: 'i_high', data: { ...ticket, id: 'T-77', priority: 'high' } })).status).toBe(202);

    const [request] = await receiver.waitFor((r) => r.path === '/backend/escalate', { what: 'the contract’s request' });
    expect(JSON.parse(request.body)).toEqual({ ticketId: 'T-77', subject: ticket.subject });
    await expect(verifyWebhook({ secrets: [contract.body.secret], schemes: ['v1'], body: request.body, headers: request.headers })).resolves.toMatchObject({
      scheme: 'v1',
    });
    expect(request.headers['idempotency-key']).toBe(request.headers['webhook-id']);
    const audit = await waitFor(
      async () => {
        const res = await stack.api<{ data: { status: string }[] }>('admin-api', 'GET', `/v1/tenants/cat-i/action-contracts/${contract.body.id}/invocations`);
        return res.body.data.length > 0 ? res.body.data : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 200, description: 'the invocation in the audit' },
    );
    expect(audit).toEqual([
      expect.objectContaining({
        id: request.headers['webhook-id'],
        origin: 'rule',
        caller: `rule:${rule.body.id}/escalate`,
        status: 'succeeded',
        eventId: 'i_high',
        attempts: 1,
      }),
    ]);
    // The low-priority ticket, accepted first, asked for nothing.
    expect(receiver.requests.filter((r) => r.path === '/backend/escalate')).toHaveLength(1);
  });
});
