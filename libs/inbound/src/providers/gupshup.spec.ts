import type { InboundRequest, ProviderTools, SourceKeys, Verdict } from '../provider';
import { gupshup, gupshupKinds } from './gupshup';

// Gupshup publishes no signature scheme and so no signature vectors: its callbacks carry only the header the
// subscription's `meta` sets (https://partner-docs.gupshup.io/reference/setsubscription-api-v3). The payloads below
// follow the examples Gupshup publishes for its v2 and v3 callback formats.

const tools: ProviderTools = {
  fetchText: () => Promise.reject(new Error('Gupshup verification needs no fetch')),
};

const secret = 'gs-hook-2b7c1f9e4d8a6035b1e2c7d4f9a0e3b6';
const now = new Date('2026-03-02T09:30:00.000Z');

function request(body: unknown, headers: Record<string, string>, method: 'GET' | 'POST' = 'POST'): InboundRequest {
  return {
    method,
    url: 'https://hooks.hookline.example/in/src_gupshup',
    headers: { 'content-type': 'application/json', 'user-agent': 'Gupshup-Webhook', ...headers },
    rawBody: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body), 'utf8'),
    receivedAt: now,
  };
}

const keysOf = (s: string | undefined = secret, options: Record<string, unknown> = {}): SourceKeys => ({ secret: s, options: gupshup.parseOptions(options) });
const bearer = { authorization: `Bearer ${secret}` };

function expectRefused(verdict: Verdict, status: number, reason: string) {
  expect(verdict).toMatchObject({ kind: 'refused', status, reason });
}

// As https://docs.gupshup.io/docs/message-events shows a DLR event (v2).
const delivered = {
  app: 'DemoAPI',
  timestamp: 1580546677791,
  version: 2,
  type: 'message-event',
  payload: {
    id: 'gBEGkYaYVSEEAgnZxQ3JmKK6Wvg',
    gsId: 'ee4a68a0-1203-4c85-8dc3-49d0b3226a35',
    type: 'delivered',
    destination: '918x98xx21x4',
    payload: { ts: 1580546677 },
  },
};

describe('gupshup: the shared token', () => {
  it('accepts a callback whose Authorization header is Bearer <secret>, and makes it a message_status event', async () => {
    expect(await gupshup.verify(request(delivered, bearer), keysOf(), tools)).toEqual({
      kind: 'accepted',
      events: [{ kind: 'message_status', id: 'ee4a68a0-1203-4c85-8dc3-49d0b3226a35:delivered', occurredAt: '2020-02-01T08:44:37.000Z', data: delivered }],
    });
  });

  it('accepts the bare secret and any case of the Bearer scheme', async () => {
    for (const value of [secret, `bearer ${secret}`, `BEARER   ${secret}  `]) {
      expect((await gupshup.verify(request(delivered, { authorization: value }), keysOf(), tools)).kind).toBe('accepted');
    }
  });

  it('reads the header the source names, e.g. Gupshup\'s own example "Authorisation"', async () => {
    const keys = keysOf(secret, { tokenHeader: 'Authorisation' });
    expect((await gupshup.verify(request(delivered, { authorisation: `Bearer ${secret}` }), keys, tools)).kind).toBe('accepted');
    expectRefused(await gupshup.verify(request(delivered, bearer), keys, tools), 401, 'missing_signature');
  });

  it('refuses a wrong token, including a prefix, an extension or another case of the secret', async () => {
    for (const value of [
      `Bearer ${secret}x`,
      `Bearer ${secret.slice(0, -1)}`,
      `Bearer ${secret.toUpperCase()}`,
      'Bearer other-token',
      `Basic ${secret}`,
      'Bearer',
    ]) {
      expectRefused(await gupshup.verify(request(delivered, { authorization: value }), keysOf(), tools), 401, 'bad_signature');
    }
    expectRefused(await gupshup.verify(request(delivered, bearer), keysOf('another-secret'), tools), 401, 'bad_signature');
  });

  it('refuses a callback without the header', async () => {
    expectRefused(await gupshup.verify(request(delivered, {}), keysOf(), tools), 401, 'missing_signature');
    expectRefused(await gupshup.verify(request(delivered, { authorization: '  ' }), keysOf(), tools), 401, 'missing_signature');
  });

  it('refuses everything while the source has no secret', async () => {
    for (const s of [undefined, '']) {
      for (const value of ['Bearer ', 'Bearer x', 'x'])
        expectRefused(await gupshup.verify(request(delivered, { authorization: value }), keysOf(s), tools), 401, 'bad_signature');
    }
  });

  it('cannot detect a tampered body or a stale callback: Gupshup signs neither (the limit of a shared token)', async () => {
    const tampered = { ...delivered, payload: { ...delivered.payload, type: 'read' } };
    const verdict = await gupshup.verify(request(tampered, bearer), keysOf(), tools);
    expect(verdict).toMatchObject({ kind: 'accepted', events: [{ id: 'ee4a68a0-1203-4c85-8dc3-49d0b3226a35:read' }] });
    // The docs example is from 2020: there is no signed timestamp to hold it against.
    expect((await gupshup.verify(request(delivered, bearer), keysOf(), tools)).kind).toBe('accepted');
  });

  it('refuses a GET', async () => {
    expectRefused(await gupshup.verify(request('', bearer, 'GET'), keysOf(), tools), 405, 'method_not_allowed');
  });

  it('refuses a body that is not a JSON object, once the token holds', async () => {
    for (const body of ['not json', '[1,2]', '']) expectRefused(await gupshup.verify(request(body, bearer), keysOf(), tools), 400, 'malformed');
    expectRefused(await gupshup.verify(request('not json', { authorization: 'Bearer nope' }), keysOf(), tools), 401, 'bad_signature');
  });

  it('never puts the secret, the header value or the body in a refusal detail', async () => {
    const verdicts = [
      await gupshup.verify(request(delivered, { authorization: `Bearer ${secret}x` }), keysOf(), tools),
      await gupshup.verify(request(delivered, bearer), keysOf('another-secret'), tools),
      await gupshup.verify(request('{"secret-body"', bearer), keysOf(), tools),
    ];
    for (const verdict of verdicts) {
      if (verdict.kind !== 'refused') throw new Error(`expected a refusal, got ${verdict.kind}`);
      for (const secretish of [secret, 'another-secret', 'secret-body', 'ee4a68a0']) expect(verdict.detail).not.toContain(secretish);
    }
  });
});

describe('gupshup: v2 callbacks', () => {
  const verify = async (body: unknown) => {
    const verdict = await gupshup.verify(request(body, bearer), keysOf(), tools);
    if (verdict.kind !== 'accepted') throw new Error(`expected acceptance, got ${JSON.stringify(verdict)}`);
    return verdict.events;
  };

  it('makes an inbound message a message event with the WhatsApp message id', async () => {
    // As https://console-docs.gupshup.io/docs/inbound-messages-and-events shows an inbound text message.
    const inbound = {
      app: 'DemoApp',
      timestamp: 1580227766370,
      version: 2,
      type: 'message',
      payload: {
        id: 'ABEGkYaYVSEEAhAL3SLAWwHKeKrt6s3FKB0c',
        source: '918x98xx21x4',
        type: 'text',
        payload: { text: 'Hi' },
        sender: { phone: '918x98xx21x4', name: 'Drew', country_code: '91', dial_code: '8x98xx21x4' },
        context: { id: 'gBEGkYaYVSEEAgnPFrOLcjkFjL8', gsId: '9b71295f-f7af-4c1f-b2b4-31b4a4867bad' },
      },
    };
    expect(await verify(inbound)).toEqual([
      { kind: 'message', id: 'ABEGkYaYVSEEAhAL3SLAWwHKeKrt6s3FKB0c', occurredAt: '2020-01-28T16:09:26.370Z', data: inbound },
    ]);
  });

  it('ids an enqueued event (no gsId) by its Gupshup id, so each status of one message is its own event', async () => {
    const enqueued = {
      app: 'DemoAPI',
      timestamp: 1580546677000,
      version: 2,
      type: 'message-event',
      payload: {
        id: '59f8db90-c37e-4408-90ab-cc54ef8246ad',
        type: 'enqueued',
        destination: '918x98xx21x4',
        payload: { whatsappMessageId: 'gBEGkYaYVSEEAgnZxQ3JmKK6Wvg', type: 'session' },
      },
    };
    const [status] = await verify(enqueued);
    expect(status).toEqual({
      kind: 'message_status',
      id: '59f8db90-c37e-4408-90ab-cc54ef8246ad:enqueued',
      occurredAt: '2020-02-01T08:44:37.000Z',
      data: enqueued,
    });
    const [sent] = await verify({ ...delivered, payload: { ...delivered.payload, type: 'sent' } });
    const [read] = await verify({ ...delivered, payload: { ...delivered.payload, type: 'read' } });
    expect(new Set([sent.id, read.id, 'ee4a68a0-1203-4c85-8dc3-49d0b3226a35:delivered']).size).toBe(3);
  });

  it('makes user, system and billing events user_event, system_event and billing_event, without an id', async () => {
    const [user] = await verify({
      app: 'DemoAPI',
      timestamp: 1580546677791,
      version: 2,
      type: 'user-event',
      payload: { phone: '918x98xx21x4', type: 'opted-out' },
    });
    expect(user).toEqual({ kind: 'user_event', occurredAt: '2020-02-01T08:44:37.791Z', data: expect.objectContaining({ type: 'user-event' }) });
    const [system] = await verify({ app: 'DemoAPI', version: 2, type: 'system-event', payload: { type: 'account-event' } });
    expect(system).toEqual({ kind: 'system_event', data: expect.objectContaining({ type: 'system-event' }) });
    const [billing] = await verify({ app: 'DemoAPI', version: 2, type: 'billing-event', payload: { deductions: { billable: true } } });
    expect(billing).toEqual({ kind: 'billing_event', data: expect.objectContaining({ type: 'billing-event' }) });
    const [unknown] = await verify({ hello: 'world' });
    expect(unknown).toEqual({ kind: 'callback', data: { hello: 'world' } });
  });

  it('turns every catalog example into its own kind', async () => {
    for (const { kind, example } of gupshupKinds) expect(await verify(example)).toMatchObject([{ kind }]);
  });
});

describe('gupshup: v3 (Meta-format) callbacks', () => {
  // As https://partner-docs.gupshup.io/docs/events shows the v3 "sent" event, with a second status and an inbound message batched in.
  const v3 = {
    entry: [
      {
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '9****8', phone_number_id: '158072934066266' },
              statuses: [
                {
                  conversation: { expiration_timestamp: '1710936120', id: '3dabdf65abaf1cbbf85217d232cce91f' },
                  gs_id: '7daeb742-f2dc-4c09-90e0-d879d20f7b98',
                  id: 'wamid.HBgMOTE5MTYzODA1ODczFQIAERgSMDQ4Rj',
                  recipient_id: '91****73',
                  status: 'sent',
                  timestamp: '1710930461',
                },
                {
                  gs_id: '2baff204-c39a-4121-90b5-f53f26d522b3',
                  id: 'wamid.HBgMOTE5MTYzODA1ODczFQIAERgSNkZCMThGMEEwQzJDOUFGQjFBAA==',
                  recipient_id: '9191****873',
                  status: 'enqueued',
                  timestamp: 1710941393420,
                },
              ],
            },
          },
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '9****8', phone_number_id: '158072934066266' },
              contacts: [{ profile: { name: 'Drew' }, wa_id: '918x98xx21x4' }],
              messages: [
                { from: '918x98xx21x4', id: 'wamid.HBgMOTE4OTg3NjU0MzIxFQIAEhggQUJD', timestamp: '1710930500', type: 'text', text: { body: 'Thanks!' } },
              ],
            },
          },
        ],
        id: '112535025189792',
      },
    ],
    gs_app_id: '82ed52f4-30c0-4f12-81b4-e7ad07bd41de',
    object: 'whatsapp_business_account',
  };

  it('makes one event per status and per message', async () => {
    const verdict = await gupshup.verify(request(v3, bearer), keysOf(), tools);
    if (verdict.kind !== 'accepted') throw new Error(`expected acceptance, got ${JSON.stringify(verdict)}`);
    const value0 = v3.entry[0].changes[0].value;
    const value1 = v3.entry[0].changes[1].value;
    expect(verdict.events).toEqual([
      {
        kind: 'message_status',
        id: '7daeb742-f2dc-4c09-90e0-d879d20f7b98:sent',
        occurredAt: '2024-03-20T10:27:41.000Z',
        data: { gs_app_id: v3.gs_app_id, field: 'messages', metadata: value0.metadata, status: value0.statuses![0] },
      },
      {
        kind: 'message_status',
        id: '2baff204-c39a-4121-90b5-f53f26d522b3:enqueued',
        occurredAt: '2024-03-20T13:29:53.420Z',
        data: { gs_app_id: v3.gs_app_id, field: 'messages', metadata: value0.metadata, status: value0.statuses![1] },
      },
      {
        kind: 'message',
        id: 'wamid.HBgMOTE4OTg3NjU0MzIxFQIAEhggQUJD',
        occurredAt: '2024-03-20T10:28:20.000Z',
        data: { gs_app_id: v3.gs_app_id, field: 'messages', metadata: value1.metadata, contacts: value1.contacts, message: value1.messages![0] },
      },
    ]);
  });

  it('names any other change by its field', async () => {
    const template = {
      object: 'whatsapp_business_account',
      gs_app_id: '82ed52f4-30c0-4f12-81b4-e7ad07bd41de',
      entry: [{ changes: [{ field: 'message_template_status_update', value: { event: 'APPROVED', message_template_name: 'order_shipped' } }] }],
    };
    const verdict = await gupshup.verify(request(template, bearer), keysOf(), tools);
    expect(verdict).toEqual({
      kind: 'accepted',
      events: [
        {
          kind: 'message_template_status_update',
          data: { gs_app_id: template.gs_app_id, field: 'message_template_status_update', value: template.entry[0].changes[0].value },
        },
      ],
    });
  });
});

describe('gupshup: options', () => {
  it('defaults the token header to authorization and names the rule it breaks', () => {
    expect(gupshup.parseOptions(undefined)).toEqual({ tokenHeader: 'authorization' });
    expect(gupshup.parseOptions({ tokenHeader: 'X-Hook-Token' })).toEqual({ tokenHeader: 'X-Hook-Token' });
    expect(() => gupshup.parseOptions({ tokenHeader: 'bad header' })).toThrow(/HTTP header name/);
    expect(() => gupshup.parseOptions({ tokenHeader: 'User-Agent' })).toThrow(/Gupshup sets itself/);
    expect(() => gupshup.parseOptions({ header: 'x' })).toThrow(/header/);
  });
});
