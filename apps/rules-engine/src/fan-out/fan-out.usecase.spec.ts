import {
  ActionsRequestedTopic,
  invocationIdFor,
  matchesEventType,
  DeliveriesRequestedTopic,
  deliveryIdFor,
  ruleDeliveryIdFor,
  type EndpointConfig,
  type EventEnvelope,
  type RuleConfig,
  type TenantId,
} from '@hookline/contracts';
import type { OutgoingMessage } from '@hookline/kafka';
import { context } from '@hookline/telemetry';
import { anEndpointConfig, anEvent } from '@hookline/testing';
import { RuleIndex } from '../rules/rule-index';
import { FanOut, type Clock, type DeliveryRequests, type Rules, type Subscribers } from './fan-out.usecase';

const endpoint = (id: string, tenantId: string, version = 1) => anEndpointConfig({ id, tenantId, version });
const event = (id: string, tenantId: string) => anEvent({ id, tenantId, data: { n: 1 } });

const A = endpoint('5b7c7a0e-8a3c-4d0e-9a53-1f6f2a4e9c11', 'acme', 3);
const B = endpoint('6c8d8b1f-9b4d-4e1f-8b64-2a7a3b5f0d22', 'acme');
const G = endpoint('7d9e9c2a-ac5e-4f2a-9c75-3b8b4c6a1e33', 'globex');

/** The endpoint directory as fan-out sees it: what is visible only after a sync. */
class FakeSubscribers implements Subscribers {
  readonly calls: string[] = [];
  private visible: EndpointConfig[] = [];
  constructor(private readonly afterSync: EndpointConfig[]) {}
  async syncToLatest(): Promise<void> {
    this.calls.push('sync');
    this.visible = this.afterSync;
  }
  subscribersOf({ tenantId, type }: EventEnvelope): EndpointConfig[] {
    this.calls.push(`subscribersOf ${tenantId}`);
    return this.visible.filter((e) => e.tenantId === tenantId && matchesEventType(e.eventTypes, type));
  }
  endpoint(tenantId: TenantId, id: string): EndpointConfig | undefined {
    return this.visible.find((e) => e.tenantId === tenantId && e.id === id);
  }
}

class RecordingRequests implements DeliveryRequests {
  readonly sent: OutgoingMessage<typeof DeliveriesRequestedTopic>[] = [];
  readonly invocations: OutgoingMessage<typeof ActionsRequestedTopic>[] = [];
  constructor(private readonly failWith?: Error) {}
  async send(topic: typeof DeliveriesRequestedTopic | typeof ActionsRequestedTopic, messages: OutgoingMessage<never>[]): Promise<void> {
    if (this.failWith) throw this.failWith;
    if (topic === DeliveriesRequestedTopic) this.sent.push(...messages);
    else if (topic === ActionsRequestedTopic) this.invocations.push(...messages);
    else throw new Error(`unexpected topic ${topic.name}`);
  }
}

const clock = { now: () => new Date('2026-11-22T10:00:05Z') };

/** The rules of the run, in a real RuleIndex, visible once synced (as over the rules topic). */
class SyncedRules implements Rules {
  readonly index = new RuleIndex({ error: () => undefined });
  synced = 0;
  constructor(private readonly rules: RuleConfig[] = []) {}
  async syncToLatest(): Promise<void> {
    this.synced += 1;
    for (const r of this.rules) this.index.apply(r.id, r);
  }
  rulesFor(e: EventEnvelope) {
    return this.index.rulesFor(e);
  }
}

const warnings: unknown[] = [];
const fanOut = (subscribers: Subscribers, requests: DeliveryRequests, at: Clock, rules: Rules = new SyncedRules()) =>
  new FanOut(subscribers, rules, requests, at, { warn: (fields: unknown) => warnings.push(fields) });

const RULE_ID = '0b6f3c2e-1d4a-4c5b-8e9f-7a6b5c4d3e21';
const vipRule = (overrides: Partial<RuleConfig> = {}): RuleConfig => ({
  id: RULE_ID,
  tenantId: 'acme' as TenantId,
  name: 'VIP tickets',
  enabled: true,
  trigger: { eventTypes: ['ticket.*'] },
  conditions: { path: 'data.priority', op: 'equals', value: 'high' },
  actions: [
    { key: 'notify', type: 'deliver', endpointIds: [A.id], transform: '{ "text": "VIP: " & data.subject }' },
    { key: 'archive', type: 'deliver', endpointIds: [B.id], transform: null },
  ],
  version: 2,
  updatedAt: '2026-11-22T10:00:00Z',
  ...overrides,
});
const ticket = (id: string, data: Record<string, unknown>) => anEvent({ id, tenantId: 'acme', type: 'ticket.created', data });

describe(FanOut.name, () => {
  it("asks one delivery per subscribed endpoint of the event's tenant, with ids derived from event and endpoint", async () => {
    const requests = new RecordingRequests();
    const count = await fanOut(new FakeSubscribers([A, B, G]), requests, clock).execute([{ event: event('evt_1', 'acme'), context: context.active() }]);
    expect(count).toBe(2);
    expect(requests.sent.map((m) => m.value)).toEqual(
      [A, B].map((e) => ({
        deliveryId: deliveryIdFor(e.tenantId, event('evt_1', 'acme').id, e.id),
        tenantId: 'acme',
        endpointId: e.id,
        endpointVersion: e.version,
        attempt: 1,
        reason: 'initial',
        requestedAt: '2026-11-22T10:00:05.000Z',
        event: event('evt_1', 'acme'),
      })),
    );
  });

  it('never routes an operational event to the endpoint it is about, and routes it to the other subscribers', async () => {
    const requests = new RecordingRequests();
    const about = (id: string) =>
      anEvent({ id: `op_${id}`, tenantId: 'acme', type: 'endpoint.disabled', data: { endpoint: { id, url: 'https://a.example', description: '' } } });
    const alerted = [A, B].map((e) => ({ ...e, eventTypes: ['*', 'endpoint.*'] }));
    const count = await fanOut(new FakeSubscribers(alerted), requests, clock).execute([
      { event: about(A.id), context: context.active() },
      { event: about(B.id), context: context.active() },
      // Any other event naming an endpoint in its data goes to every subscriber, that one included.
      { event: anEvent({ id: 'evt_2', tenantId: 'acme', data: { endpoint: { id: A.id } } }), context: context.active() },
    ]);
    expect(count).toBe(4);
    expect(requests.sent.map((m) => [m.value?.event.id, m.value?.endpointId])).toEqual([
      [`op_${A.id}`, B.id],
      [`op_${B.id}`, A.id],
      ['evt_2', A.id],
      ['evt_2', B.id],
    ]);
  });

  it('catches up with endpoint changes before routing (an endpoint saved before the event was accepted receives it)', async () => {
    const subscribers = new FakeSubscribers([A]);
    const requests = new RecordingRequests();
    await fanOut(subscribers, requests, clock).execute([{ event: event('evt_2', 'acme'), context: context.active() }]);
    expect(subscribers.calls[0]).toBe('sync');
    expect(requests.sent).toHaveLength(1);
  });

  it('produces the same deliveries when a batch is redone', async () => {
    const batch = [{ event: event('evt_3', 'acme'), context: context.active() }];
    const [first, second] = [new RecordingRequests(), new RecordingRequests()];
    await fanOut(new FakeSubscribers([A, B]), first, clock).execute(batch);
    await fanOut(new FakeSubscribers([A, B]), second, { now: () => new Date('2026-11-22T11:00:00Z') }).execute(batch);
    expect(second.sent.map((m) => m.value?.deliveryId)).toEqual(first.sent.map((m) => m.value?.deliveryId));
  });

  it('asks nothing for an event no endpoint subscribes to', async () => {
    const requests = new RecordingRequests();
    expect(await fanOut(new FakeSubscribers([G]), requests, clock).execute([{ event: event('evt_4', 'acme'), context: context.active() }])).toBe(0);
    expect(requests.sent).toEqual([]);
  });

  it('fails when the requests cannot be produced, so the batch is not committed', async () => {
    const failing = fanOut(new FakeSubscribers([A]), new RecordingRequests(new Error('broker down')), clock);
    await expect(failing.execute([{ event: event('evt_5', 'acme'), context: context.active() }])).rejects.toThrow('broker down');
  });

  it('adds a delivery per endpoint of each action of each rule the event sets off, with the rule, its own id and the transformed body', async () => {
    const requests = new RecordingRequests();
    const rules = new SyncedRules([vipRule()]);
    // A subscribes to nothing here: only the rule sends to it.
    const subscribers = new FakeSubscribers([anEndpointConfig({ id: A.id, tenantId: 'acme', version: 3, eventTypes: ['invoice.*'] }), B]);
    const high = ticket('tkt_1', { priority: 'high', subject: 'SSO down' });
    await fanOut(subscribers, requests, clock, rules).execute([
      { event: high, context: context.active() },
      { event: ticket('tkt_2', { priority: 'low' }), context: context.active() },
    ]);
    expect(rules.synced).toBe(1);
    const origin = (actionKey: string) => ({ id: RULE_ID, version: 2, actionKey });
    expect(requests.sent.map((m) => m.value)).toEqual([
      // B's own subscription (every event), then the rule's two actions, then tkt_2 to B only.
      expect.objectContaining({ deliveryId: deliveryIdFor('acme' as TenantId, high.id, B.id), endpointId: B.id }),
      expect.objectContaining({
        deliveryId: ruleDeliveryIdFor('acme' as TenantId, high.id, RULE_ID, 'notify', A.id),
        endpointId: A.id,
        endpointVersion: 3,
        rule: origin('notify'),
        body: { text: 'VIP: SSO down' },
        event: high,
      }),
      expect.objectContaining({
        deliveryId: ruleDeliveryIdFor('acme' as TenantId, high.id, RULE_ID, 'archive', B.id),
        endpointId: B.id,
        rule: origin('archive'),
      }),
      expect.objectContaining({ deliveryId: deliveryIdFor('acme' as TenantId, ticket('tkt_2', {}).id, B.id), endpointId: B.id }),
    ]);
    expect(requests.sent[2].value).not.toHaveProperty('body');
    expect(requests.sent[3].value).not.toHaveProperty('rule');
  });

  it('skips an action whose transformation fails (logged without the event data) and runs the others; and an endpoint that is gone or disabled', async () => {
    warnings.length = 0;
    const requests = new RecordingRequests();
    const rule = vipRule({
      conditions: null,
      actions: [
        { key: 'broken', type: 'deliver', endpointIds: [A.id], transform: '$number(data.subject)' },
        { key: 'ok', type: 'deliver', endpointIds: [A.id, G.id, '9f9f9f9f-9f9f-4f9f-8f9f-9f9f9f9f9f9f' as never], transform: null },
      ],
    });
    await fanOut(
      new FakeSubscribers([anEndpointConfig({ id: A.id, tenantId: 'acme', eventTypes: ['x.y'] }), G]),
      requests,
      clock,
      new SyncedRules([rule]),
    ).execute([{ event: ticket('tkt_3', { subject: 'not a number' }), context: context.active() }]);
    // G is another tenant's; the third id exists nowhere.
    expect(requests.sent.map((m) => [m.value?.endpointId, m.value?.rule?.actionKey])).toEqual([[A.id, 'ok']]);
    expect(warnings).toEqual([expect.objectContaining({ ruleId: RULE_ID, actionKey: 'broken', eventId: 'tkt_3', reason: expect.stringMatching(/^failed: /) })]);
    expect(JSON.stringify(warnings)).not.toContain('not a number');
  });

  it('runs no disabled rule, and no rule of another tenant or another event type', async () => {
    const requests = new RecordingRequests();
    const rules = new SyncedRules([
      vipRule({ enabled: false }),
      vipRule({ id: '1c7f4d3f-2e5b-4d6c-9fa0-8b7c6d5e4f32', trigger: { eventTypes: ['invoice.paid'] } }),
    ]);
    await fanOut(new FakeSubscribers([anEndpointConfig({ id: A.id, tenantId: 'acme', eventTypes: ['x.y'] })]), requests, clock, rules).execute([
      { event: ticket('tkt_4', { priority: 'high' }), context: context.active() },
      { event: anEvent({ id: 'tkt_5', tenantId: 'globex', type: 'ticket.created', data: { priority: 'high' } }), context: context.active() },
    ]);
    expect(requests.sent).toEqual([]);
  });

  it('posts a chat action’s message, made from its template and the event, in each chat endpoint’s own format, and never to a webhook endpoint', async () => {
    const requests = new RecordingRequests();
    const chat = (tool: 'slack' | 'telegram') => ({ tool, url: 'sealed', telegramChatId: tool === 'telegram' ? '-100200' : null, template: null });
    const slack = anEndpointConfig({ id: A.id, tenantId: 'acme', eventTypes: [], chat: chat('slack') });
    const telegram = anEndpointConfig({ id: B.id, tenantId: 'acme', eventTypes: [], chat: chat('telegram') });
    const webhook = anEndpointConfig({ id: '8e0fad3b-bd6f-4a3b-8d86-4c9c5d7b2f44', tenantId: 'acme', eventTypes: [] });
    const rule = vipRule({
      actions: [
        {
          key: 'page',
          type: 'chat',
          endpointIds: [slack.id, telegram.id, webhook.id],
          template: { title: 'VIP ticket: {{ data.subject }}', text: 'Priority {{ data.priority }}', fields: [] },
        },
      ],
    });
    const high = ticket('tkt_chat', { priority: 'high', subject: 'SSO down' });
    await fanOut(new FakeSubscribers([slack, telegram, webhook]), requests, clock, new SyncedRules([rule])).execute([
      { event: high, context: context.active() },
    ]);
    expect(requests.sent.map((m) => [m.value?.endpointId, m.value?.body])).toEqual([
      [
        slack.id,
        {
          text: 'VIP ticket: SSO down: Priority high',
          blocks: [
            { type: 'header', text: { type: 'plain_text', text: 'VIP ticket: SSO down', emoji: true } },
            { type: 'section', text: { type: 'mrkdwn', text: 'Priority high' } },
          ],
        },
      ],
      [telegram.id, expect.objectContaining({ chat_id: '-100200', text: expect.stringContaining('VIP ticket: SSO down') })],
    ]);
    expect(requests.sent[0].value?.deliveryId).toBe(ruleDeliveryIdFor('acme' as TenantId, high.id, RULE_ID, 'page', slack.id));
  });

  it('asks an invoke action’s invocation with the input its expression makes, under an id derived from event, rule and action', async () => {
    const requests = new RecordingRequests();
    const CONTRACT = '3a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
    const rule = vipRule({
      actions: [
        { key: 'escalate', type: 'invoke', contractId: CONTRACT, input: '{ "ticketId": data.id, "reason": "VIP: " & data.subject }' },
        { key: 'raw', type: 'invoke', contractId: CONTRACT, input: null },
      ],
    });
    const high = ticket('tkt_inv', { id: 'T-9', priority: 'high', subject: 'SSO down' });
    const run = () =>
      fanOut(new FakeSubscribers([]), requests, clock, new SyncedRules([rule])).execute([
        { event: high, context: context.active() },
        { event: ticket('tkt_low', { priority: 'low' }), context: context.active() },
      ]);
    await run();
    const origin = (actionKey: string) => ({ id: RULE_ID, version: 2, actionKey });
    expect(requests.invocations.map((m) => m.value)).toEqual([
      {
        invocationId: invocationIdFor('rule', 'acme', high.id, RULE_ID, 'escalate'),
        tenantId: 'acme',
        contractId: CONTRACT,
        input: { ticketId: 'T-9', reason: 'VIP: SSO down' },
        eventId: high.id,
        rule: origin('escalate'),
        requestedAt: '2026-11-22T10:00:05.000Z',
      },
      expect.objectContaining({ invocationId: invocationIdFor('rule', 'acme', high.id, RULE_ID, 'raw'), input: high.data, rule: origin('raw') }),
    ]);
    expect(requests.sent).toEqual([]);
    // A redone batch asks the same invocations.
    await run();
    expect(requests.invocations.slice(2).map((m) => m.value?.invocationId)).toEqual(requests.invocations.slice(0, 2).map((m) => m.value?.invocationId));
  });
});
