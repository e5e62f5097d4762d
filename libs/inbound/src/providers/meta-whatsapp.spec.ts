import { createHmac } from 'node:crypto';
import type { InboundRequest, ProviderTools, SourceKeys, Verdict } from '../provider';
import { metaWhatsapp, metaWhatsappKinds } from './meta-whatsapp';

const APP_SECRET = '3f1c9a7e5b2d4f6a8c0e1b3d5f7a9c2e';
const VERIFY_TOKEN = 'meatyhamhock';
const NOW = new Date('2026-03-02T09:30:00.000Z');
const URL_BASE = 'https://hooks.example.com/in/src_whatsapp';
const tools: ProviderTools = {
  fetchText: () => Promise.reject(new Error('WhatsApp verification must not fetch anything')),
};

/** Meta's documented scheme, written out here independently of the provider: `sha256=` + hex HMAC-SHA256 of the raw body under the app secret. */
const sign = (secret: string, body: string | Buffer) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

const keys = (secret: string | undefined = APP_SECRET, options: unknown = { verifyToken: VERIFY_TOKEN }): SourceKeys => ({
  secret,
  options: metaWhatsapp.parseOptions(options),
});

function post(body: string | Buffer, headers: Record<string, string>, overrides: Partial<InboundRequest> = {}): InboundRequest {
  return {
    method: 'POST',
    url: URL_BASE,
    headers: { 'content-type': 'application/json', 'user-agent': 'facebookexternalua', ...headers },
    rawBody: Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8'),
    receivedAt: NOW,
    ...overrides,
  };
}
const signed = (body: string, secret = APP_SECRET) => post(body, { 'x-hub-signature-256': sign(secret, body) });

const get = (query: string): InboundRequest => ({ method: 'GET', url: `${URL_BASE}?${query}`, headers: {}, rawBody: Buffer.alloc(0), receivedAt: NOW });

function expectRefused(verdict: Verdict, status: number, reason: string) {
  expect(verdict).toMatchObject({ kind: 'refused', status, reason });
  if (verdict.kind !== 'refused') return;
  expect(verdict.detail).not.toContain(APP_SECRET);
  expect(verdict.detail).not.toContain(VERIFY_TOKEN);
  expect(verdict.detail).not.toMatch(/[0-9a-f]{64}/);
  expect(verdict.detail).not.toContain('wamid');
}

const metadata = { display_phone_number: '15550783881', phone_number_id: '106540352242922' };
const contacts = [{ profile: { name: 'Sheena Nelson' }, wa_id: '16505551234' }];
const textMessage = {
  from: '16505551234',
  id: 'wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA=',
  timestamp: '1772443750',
  type: 'text',
  text: { body: 'Hello' },
};
const imageMessage = {
  from: '16505551234',
  id: 'wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzQUI0NkE4NjM1QTU2NjVGOURGQgA=',
  timestamp: '1772443752',
  type: 'image',
  image: { caption: 'The parcel', mime_type: 'image/jpeg', sha256: 'gUO9iu+BNtcqy7CO0PPj3oZVbw+Fye+bTSzUN/kxgSs=', id: '2754859441498128' },
};
const WAMID_OUT = 'wamid.HBgLMTY1MDU1NTEyMzQVAgARGBI3OEM1NTY5QkE0RDhCNUNFRjYA';
const sent = {
  id: WAMID_OUT,
  status: 'sent',
  timestamp: '1772443700',
  recipient_id: '16505551234',
  conversation: { id: 'f5fdae39', origin: { type: 'utility' } },
};
const delivered = { id: WAMID_OUT, status: 'delivered', timestamp: '1772443705', recipient_id: '16505551234' };
const templateUpdate = {
  event: 'APPROVED',
  message_template_id: 1689556908129832,
  message_template_name: 'order_confirmation',
  message_template_language: 'en_US',
  reason: 'NONE',
};

const notification = {
  object: 'whatsapp_business_account',
  entry: [
    {
      id: '102290129340398',
      changes: [
        { field: 'messages', value: { messaging_product: 'whatsapp', metadata, contacts, messages: [textMessage, imageMessage] } },
        { field: 'messages', value: { messaging_product: 'whatsapp', metadata, statuses: [sent, delivered] } },
      ],
    },
    { id: '102290129340398', changes: [{ field: 'message_template_status_update', value: templateUpdate }] },
  ],
};
const NOTIFICATION = JSON.stringify(notification);

describe('meta_whatsapp provider', () => {
  describe('verification request (GET)', () => {
    // Meta's sample verification request: hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=meatyhamhock
    // https://developers.facebook.com/docs/graph-api/webhooks/getting-started#verification-requests
    it("answers Meta's sample request with 200 and the challenge as text/plain, and no event", async () => {
      const verdict = await metaWhatsapp.verify(get('hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=meatyhamhock'), keys(), tools);
      expect(verdict).toEqual({ kind: 'handshake', answer: { status: 200, contentType: 'text/plain', body: '1158201444' }, detail: expect.any(String) });
    });

    it('needs no app secret', async () => {
      const verdict = await metaWhatsapp.verify(get('hub.mode=subscribe&hub.challenge=42&hub.verify_token=meatyhamhock'), keys(undefined), tools);
      expect(verdict).toMatchObject({ kind: 'handshake', answer: { body: '42' } });
    });

    it('decodes the query before comparing the token', async () => {
      const token = 'tok en&=ü/+';
      const query = new URLSearchParams({ 'hub.mode': 'subscribe', 'hub.challenge': '77', 'hub.verify_token': token }).toString();
      expect(await metaWhatsapp.verify(get(query), keys(APP_SECRET, { verifyToken: token }), tools)).toMatchObject({
        kind: 'handshake',
        answer: { body: '77' },
      });
    });

    it('refuses a wrong, missing, truncated, extended or differently-cased token with 403 bad_verify_token', async () => {
      for (const query of [
        'hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=wrong-token',
        'hub.mode=subscribe&hub.challenge=1158201444',
        'hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=',
        'hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=meatyhamhoc',
        'hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=meatyhamhockX',
        'hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=MeatyHamHock',
      ]) {
        expectRefused(await metaWhatsapp.verify(get(query), keys(), tools), 403, 'bad_verify_token');
      }
    });

    it('refuses with 403 when the source has no verifyToken option', async () => {
      const noToken: SourceKeys = { secret: APP_SECRET, options: {} };
      expectRefused(await metaWhatsapp.verify(get('hub.mode=subscribe&hub.challenge=1&hub.verify_token='), noToken, tools), 403, 'bad_verify_token');
    });

    it('answers 400 to a GET that is not a subscription verification, or has no usable challenge', async () => {
      for (const query of [
        '',
        'hub.challenge=1158201444&hub.verify_token=meatyhamhock',
        'hub.mode=unsubscribe&hub.challenge=1158201444&hub.verify_token=meatyhamhock',
        'hub.mode=subscribe&hub.verify_token=meatyhamhock',
        'hub.mode=subscribe&hub.challenge=&hub.verify_token=meatyhamhock',
        `hub.mode=subscribe&hub.challenge=${'9'.repeat(257)}&hub.verify_token=meatyhamhock`,
        'hub.mode=subscribe&hub.challenge=12%0D%0ASet-Cookie:%20x&hub.verify_token=meatyhamhock',
      ]) {
        expectRefused(await metaWhatsapp.verify(get(query), keys(), tools), 400, 'malformed');
      }
    });
  });

  describe('event notification (POST)', () => {
    it('turns a batch into one event per message and per status, and one per change of another field', async () => {
      const verdict = await metaWhatsapp.verify(signed(NOTIFICATION), keys(), tools);
      expect(verdict).toEqual({
        kind: 'accepted',
        events: [
          { kind: 'message', id: textMessage.id, data: { ...textMessage, metadata, contacts }, occurredAt: '2026-03-02T09:29:10.000Z' },
          { kind: 'message', id: imageMessage.id, data: { ...imageMessage, metadata, contacts }, occurredAt: '2026-03-02T09:29:12.000Z' },
          { kind: 'message_status', id: `${WAMID_OUT}:sent`, data: { ...sent, metadata }, occurredAt: '2026-03-02T09:28:20.000Z' },
          { kind: 'message_status', id: `${WAMID_OUT}:delivered`, data: { ...delivered, metadata }, occurredAt: '2026-03-02T09:28:25.000Z' },
          { kind: 'message_template_status_update', data: templateUpdate },
        ],
      });
    });

    it("keeps a shared-contacts message's own contacts, giving the sender's profile as change_contacts", async () => {
      const cards = [{ name: { formatted_name: 'John Smith', first_name: 'John' }, phones: [{ phone: '+1 (940) 555-1234', type: 'HOME' }] }];
      const shared = { from: '16505551234', id: 'wamid.CONTACTS1', timestamp: '1772443760', type: 'contacts', contacts: cards };
      const body = JSON.stringify({
        object: 'whatsapp_business_account',
        entry: [{ id: '1', changes: [{ field: 'messages', value: { metadata, contacts, messages: [shared] } }] }],
      });
      const verdict = await metaWhatsapp.verify(signed(body), keys(), tools);
      expect(verdict).toMatchObject({
        kind: 'accepted',
        events: [{ kind: 'message', id: 'wamid.CONTACTS1', data: { contacts: cards, change_contacts: contacts, metadata } }],
      });
    });

    it('keeps a messages change that has neither messages nor statuses as one event of its field', async () => {
      const value = { messaging_product: 'whatsapp', metadata, errors: [{ code: 131047, title: 'Re-engagement message' }] };
      const body = JSON.stringify({ object: 'whatsapp_business_account', entry: [{ id: '1', changes: [{ field: 'messages', value }] }] });
      expect(await metaWhatsapp.verify(signed(body), keys(), tools)).toEqual({ kind: 'accepted', events: [{ kind: 'messages', data: value }] });
    });

    it('gives a change value that is not an object as data.value, and accepts an entry without changes', async () => {
      const body = JSON.stringify({
        object: 'whatsapp_business_account',
        entry: [
          { id: '1', time: 1772443790 },
          { id: '2', changes: [{ field: 'Account Alerts', value: 'x' }] },
        ],
      });
      expect(await metaWhatsapp.verify(signed(body), keys(), tools)).toEqual({ kind: 'accepted', events: [{ kind: 'account_alerts', data: { value: 'x' } }] });
    });

    // Meta: "we generate the signature using an escaped unicode version of the payload, with lowercase hex digits.
    // If you just calculate against the decoded bytes, you will end up with a different signature."
    // https://developers.facebook.com/docs/graph-api/webhooks/getting-started#validate-payloads
    it('verifies the escaped body as sent, not its decoded form', async () => {
      const escaped =
        '{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"metadata":{},"messages":[{"id":"wamid.U1","type":"text","text":{"body":"\\u00e4\\u00f6\\u00e5"}}]}}]}]}';
      const verdict = await metaWhatsapp.verify(signed(escaped), keys(), tools);
      expect(verdict).toMatchObject({ kind: 'accepted', events: [{ kind: 'message', id: 'wamid.U1', data: { text: { body: 'äöå' } } }] });
      const decoded = escaped.replace('\\u00e4\\u00f6\\u00e5', 'äöå');
      expect(decoded).not.toBe(escaped);
      expectRefused(await metaWhatsapp.verify(post(escaped, { 'x-hub-signature-256': sign(APP_SECRET, decoded) }), keys(), tools), 401, 'bad_signature');
    });

    it('refuses a tampered body', async () => {
      const tampered = { ...signed(NOTIFICATION), rawBody: Buffer.from(NOTIFICATION.replace('Hello', 'Hellp')) };
      expectRefused(await metaWhatsapp.verify(tampered, keys(), tools), 401, 'bad_signature');
    });

    it('refuses a notification signed with another secret', async () => {
      expectRefused(await metaWhatsapp.verify(signed(NOTIFICATION, 'another-apps-secret'), keys(), tools), 401, 'bad_signature');
    });

    it('refuses a missing X-Hub-Signature-256, even with a valid legacy X-Hub-Signature', async () => {
      expectRefused(await metaWhatsapp.verify(post(NOTIFICATION, {}), keys(), tools), 401, 'missing_signature');
      const sha1 = `sha1=${createHmac('sha1', APP_SECRET).update(NOTIFICATION).digest('hex')}`;
      expectRefused(await metaWhatsapp.verify(post(NOTIFICATION, { 'x-hub-signature': sha1 }), keys(), tools), 401, 'missing_signature');
    });

    it('refuses a signature without its sha256= prefix or truncated, and tolerates uppercase hex', async () => {
      const header = sign(APP_SECRET, NOTIFICATION);
      for (const bad of [header.slice('sha256='.length), header.slice(0, -1), `${header}0`, 'sha256=']) {
        expectRefused(await metaWhatsapp.verify(post(NOTIFICATION, { 'x-hub-signature-256': bad }), keys(), tools), 401, 'bad_signature');
      }
      expect((await metaWhatsapp.verify(post(NOTIFICATION, { 'x-hub-signature-256': header.toUpperCase() }), keys(), tools)).kind).toBe('accepted');
    });

    it('refuses when the source has no app secret, rather than checking against an empty key', async () => {
      const emptyKeySigned = signed(NOTIFICATION, '');
      expectRefused(await metaWhatsapp.verify(emptyKeySigned, keys(''), tools), 401, 'bad_signature');
      expectRefused(await metaWhatsapp.verify(emptyKeySigned, keys(undefined), tools), 401, 'bad_signature');
    });

    it('refuses any other method with 405', async () => {
      const put = { ...signed(NOTIFICATION), method: 'PUT' as InboundRequest['method'] };
      expectRefused(await metaWhatsapp.verify(put, keys(), tools), 405, 'method_not_allowed');
    });

    it('answers 400 for a well-signed body that is not a WhatsApp notification', async () => {
      const change = (value: unknown) => JSON.stringify({ object: 'whatsapp_business_account', entry: [{ id: '1', changes: [{ field: 'messages', value }] }] });
      for (const body of [
        'not json',
        '[]',
        '{}',
        '{"entry":"x"}',
        '{"entry":[1]}',
        '{"entry":[{"changes":[{"value":{}}]}]}',
        '{"entry":[{"changes":[{"field":"","value":{}}]}]}',
        '{"entry":[{"changes":[{"field":"___","value":{}}]}]}',
        change({ messages: [{ from: '1', type: 'text' }] }),
        change({ messages: 'x' }),
        change({ statuses: [{ id: WAMID_OUT }] }),
        change({ statuses: [{ id: '', status: 'read' }] }),
      ]) {
        expectRefused(await metaWhatsapp.verify(signed(body), keys(), tools), 400, 'malformed');
      }
    });
  });

  describe('options', () => {
    it('requires a verifyToken, naming it', () => {
      expect(metaWhatsapp.parseOptions({ verifyToken: 'abc' })).toEqual({ verifyToken: 'abc' });
      expect(() => metaWhatsapp.parseOptions(undefined)).toThrow('verifyToken is required');
      expect(() => metaWhatsapp.parseOptions({ verifyToken: 42 })).toThrow('verifyToken is required');
      expect(() => metaWhatsapp.parseOptions({ verifyToken: '' })).toThrow('verifyToken must not be empty');
      expect(() => metaWhatsapp.parseOptions({ verifyToken: 'x'.repeat(257) })).toThrow('at most 256');
      expect(() => metaWhatsapp.parseOptions({ verifyToken: 'abc', appSecret: 'x' })).toThrow(/unrecognized key/i);
    });
  });

  describe('kinds catalog', () => {
    it('lists distinct lowercase kinds including message and message_status', () => {
      expect(metaWhatsappKinds.map((k) => k.kind)).toEqual(expect.arrayContaining(['message', 'message_status']));
      expect(new Set(metaWhatsappKinds.map((k) => k.kind)).size).toBe(metaWhatsappKinds.length);
      for (const { kind, description } of metaWhatsappKinds) {
        expect(kind).toMatch(/^[a-z0-9_]+$/);
        expect(description.length).toBeGreaterThan(10);
      }
    });

    it('has examples that are exactly what the provider makes of the notification carrying them', async () => {
      for (const { kind, example } of metaWhatsappKinds) {
        const { metadata: md, contacts: cs, ...item } = example;
        const value =
          kind === 'message'
            ? { messaging_product: 'whatsapp', metadata: md, contacts: cs, messages: [item] }
            : kind === 'message_status'
              ? { messaging_product: 'whatsapp', metadata: md, statuses: [item] }
              : example;
        const body = JSON.stringify({
          object: 'whatsapp_business_account',
          entry: [{ id: '102290129340398', changes: [{ field: kind === 'message_status' ? 'messages' : kind === 'message' ? 'messages' : kind, value }] }],
        });
        const verdict = await metaWhatsapp.verify(signed(body), keys(), tools);
        expect(verdict).toMatchObject({ kind: 'accepted', events: [{ kind, data: example }] });
        if (verdict.kind === 'accepted') {
          expect(verdict.events).toHaveLength(1);
          expect(verdict.events[0].data).toEqual(example);
        }
      }
    });
  });
});
