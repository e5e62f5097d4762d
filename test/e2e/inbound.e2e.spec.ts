import { createHash, createHmac, generateKeyPairSync, randomBytes, randomUUID, sign, type KeyObject } from 'node:crypto';
import { stackForSuite } from '../harness/test-stack';

/*
 * Inbound webhooks on the real stack: for every provider, a source and an
 * endpoint subscribed to its events; a callback signed here as the provider
 * signs it (every signature is built in this file from the provider's
 * documentation, with keys the test holds) is answered as the provider
 * expects and delivered as `inbound.<provider>.<kind>`; a tampered body, a
 * wrong key, a stale timestamp (where the provider signs one) and a missing
 * signature are refused and each is in the source's inbound log with its
 * reason; the same callback sent again (a provider's retry) is answered 2xx
 * and not delivered twice.
 *
 * Requests go to ingest with fetch, not stack.api: they carry raw bodies of
 * any content type and the providers' own headers, and Twilio's answer is XML.
 * Ingest rebuilds the URL the provider signed from the Host header
 * (HOOKLINE_INBOUND_BASE_URL is not set here), so what is signed is the very
 * URL fetched: `http://127.0.0.1:<port>/v1/inbound/<id>`.
 */

type Key = 'own' | 'wrong';

/** One callback as the provider sends it, and the events it must become. */
interface Callback {
  body: string;
  /** The provider's unsigned headers (content type, GitHub's event name and delivery id, …). */
  headers: Record<string, string>;
  /** The events it becomes, in order: the kind after `inbound.<provider>.` and the event's data. */
  events: { kind: string; data: unknown }[];
}

interface ProviderCase {
  provider: string;
  /** The source's keys and options, as created through admin-api. */
  source: { secret?: string; publicKey?: string; options?: Record<string, unknown> };
  /** The callback under test, then a different one sent last as the marker. */
  callbacks: [Callback, Callback];
  /** The signature headers of `callback` sent to `url` at Unix time `at`, with the source's key or a wrong one. */
  sign(url: string, callback: Callback, at: number, key: Key): Record<string, string>;
  /** The header whose absence leaves the request unsigned. */
  signatureHeader: string;
  /** A change to the signed body (absent: the provider signs no body). */
  tamper?: [from: string, to: string];
  /** Whether the provider signs a timestamp (only then is a stale one refused). */
  signsTimestamp: boolean;
  /** The answer to an accepted callback, when not `200 {"received":true}`. */
  answer?: { contentType: RegExp; body: string };
}

interface SentRequest {
  method?: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
}

interface Answer {
  status: number;
  contentType: string;
  text: string;
}

interface LogEntry {
  outcome: 'accepted' | 'handshake' | 'refused';
  status: number;
  reason: string | null;
  detail: string | null;
  size: number;
  eventIds: string[];
  body: string | null;
}

interface SourceView {
  id: string;
  path: string;
  hasSecret: boolean;
}

const HOUR = 3_600;
const nowSeconds = () => Math.floor(Date.now() / 1000);
const sha256Hex = (content: string) => createHash('sha256').update(content, 'utf8').digest('hex');
const secretOf = (key: Key, own: string) => (key === 'own' ? own : `wrong-${own}`);
const json = (value: unknown) => JSON.stringify(value);
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const formContentType = { 'Content-Type': 'application/x-www-form-urlencoded' };
const jsonContentType = { 'Content-Type': 'application/json' };

/** A compact HS256 JWT of `claims` under `secret`. */
function hs256(claims: Record<string, unknown>, secret: string): string {
  const header = Buffer.from(json({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
  const payload = Buffer.from(json(claims)).toString('base64url');
  return `${header}.${payload}.${createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url')}`;
}

/** A form's parameters, sorted by name, each name followed by its value: the part Twilio and Plivo sign. */
const sortedParams = (body: string) =>
  [...new URLSearchParams(body)]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => name + value)
    .join('');

// ---- Stripe (https://docs.stripe.com/webhooks#verify-manually): t=<ts>,v1=hex HMAC-SHA256 of "<ts>.<body>" under whsec_…
const STRIPE_SECRET = `whsec_${randomBytes(24).toString('base64')}`;
const stripeEvent = (id: string, type: string, object: Record<string, unknown>) => ({
  id,
  object: 'event',
  api_version: '2024-06-20',
  created: 1_767_225_600,
  livemode: false,
  pending_webhooks: 1,
  request: { id: null, idempotency_key: null },
  type,
  data: { object },
});
const stripePaid = stripeEvent('evt_1E2eInvoicePaid', 'invoice.paid', { id: 'in_1E2e', object: 'invoice', amount_paid: 3900, currency: 'usd', status: 'paid' });
const stripeRefunded = stripeEvent('evt_3E2eChargeRefunded', 'charge.refunded', { id: 'ch_3E2e', object: 'charge', amount_refunded: 2000, refunded: true });

// ---- GitHub: X-Hub-Signature-256 = sha256=hex HMAC-SHA256 of the body; X-GitHub-Event and X-GitHub-Delivery unsigned.
const GITHUB_SECRET = randomBytes(20).toString('hex');
const githubIssue = {
  action: 'opened',
  issue: { id: 2214567890, number: 77, title: 'Deliveries to Slack time out', state: 'open' },
  repository: { id: 718902345, full_name: 'acme/hookline-demo' },
  sender: { login: 'octocat', id: 583231 },
};
const githubPing = { zen: 'Design for failure.', hook_id: 482736191, hook: { type: 'Repository', id: 482736191, active: true } };

// ---- Twilio: X-Twilio-Signature = base64 HMAC-SHA1 of the URL + the sorted form fields, under the auth token.
const TWILIO_TOKEN = randomBytes(16).toString('hex');
const twilioStatus = {
  AccountSid: 'AC3f8a9e1c2b7d4e5f6a7b8c9d0e1f2a3b',
  ApiVersion: '2010-04-01',
  From: '+15017122661',
  To: '+15558675310',
  MessageSid: 'SM1f0e8ae6ade43cb3c0ce4525424e404f',
  SmsSid: 'SM1f0e8ae6ade43cb3c0ce4525424e404f',
  MessageStatus: 'delivered',
  SmsStatus: 'delivered',
};
const twilioMessage = {
  AccountSid: 'AC3f8a9e1c2b7d4e5f6a7b8c9d0e1f2a3b',
  ApiVersion: '2010-04-01',
  MessageSid: 'SM7c4b7e1a5d9c6e2f3a8b0c1d2e3f4a5b',
  From: '+14155550123',
  To: '+15017122661',
  Body: 'Is my order on its way? Grüße & 1+1=2',
  NumMedia: '0',
};

// ---- SendGrid: ECDSA P-256 (SHA-256, DER, base64) over timestamp + body; the source holds the SPKI DER public key, base64.
const sendgridKeys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const sendgridWrongKeys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const sendgridMail = { email: 'ada@example.com', 'smtp-id': '<5yGbhXmHRaGKkh0XNvo2Ug@geopod-ismtpd-3>', sg_message_id: '5yGbhXmHRaGKkh0XNvo2Ug.recvd-1' };
const sendgridProcessed = { ...sendgridMail, timestamp: 1767225600, event: 'processed', sg_event_id: 'cHJvY2Vzc2VkLWUyZS0x' };
const sendgridDelivered = { ...sendgridMail, timestamp: 1767225603, event: 'delivered', response: '250 OK', sg_event_id: 'ZGVsaXZlcmVkLWUyZS0x' };
const sendgridOpen = { ...sendgridMail, timestamp: 1767229200, event: 'open', useragent: 'Mozilla/5.0', sg_event_id: 'b3Blbi1lMmUtMQ' };

// ---- Meta (WhatsApp Cloud API): X-Hub-Signature-256 = sha256=hex HMAC-SHA256 of the body under the app secret.
const META_SECRET = randomBytes(16).toString('hex');
const META_VERIFY_TOKEN = `verify-${randomBytes(8).toString('hex')}`;
const metaMetadata = { display_phone_number: '15550783881', phone_number_id: '106540352242922' };
const metaContacts = [{ profile: { name: 'Sheena Nelson' }, wa_id: '16505551234' }];
const metaStatus = {
  id: 'wamid.HBgLMTY1MDU1NTEyMzQVAgARGBI4QUZCRTRFQjk5QjAyQjU0OEEA',
  status: 'delivered',
  timestamp: '1767225600',
  recipient_id: '16505551234',
};
const metaMessage = {
  from: '16505551234',
  id: 'wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzQTdCNUY3RTk0QzA2RjE1RDNBMQA',
  timestamp: '1767225660',
  type: 'text',
  text: { body: 'Hello!' },
};
const metaNotification = (value: Record<string, unknown>) => ({
  object: 'whatsapp_business_account',
  entry: [{ id: '102290129340398', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: metaMetadata, ...value } }] }],
});

// ---- MessageBird: MessageBird-Signature-JWT, HS256 with iss, nbf/exp, jti, url_hash (SHA-256 of the URL) and payload_hash.
const MESSAGEBIRD_KEY = randomBytes(24).toString('hex');
const messagebirdReport = {
  id: 'e8077d803532c0b5937c639b60216938',
  reference: 'order-6735',
  recipient: '31612345678',
  status: 'delivered',
  statusDatetime: '2026-01-01T00:00:05+00:00',
};
const messagebirdInbound = {
  id: 'b0a1c2d3e4f5a6b7c8d9e0f1a2b3c4d5',
  originator: '31612345678',
  recipient: '3197010260000',
  body: 'STOP',
  createdDatetime: '2026-01-01T00:01:00+00:00',
};

// ---- Gupshup: signs nothing; a shared token in Authorization: Bearer <token>.
const GUPSHUP_TOKEN = randomBytes(24).toString('hex');
const gupshupStatus = {
  app: 'HooklineDemo',
  timestamp: 1767225600123,
  version: 2,
  type: 'message-event',
  payload: {
    id: 'ee4a68a0-1203-4c85-8dc3-49d0b3226a35',
    gsId: '59126f2f-5a3f-4d29-9b3c-5cf2d1a1a7e4',
    type: 'delivered',
    destination: '918x98xx21x4',
    payload: { ts: 1767225600 },
  },
};
const gupshupMessage = {
  app: 'HooklineDemo',
  timestamp: 1767225660456,
  version: 2,
  type: 'message',
  payload: {
    id: 'ABEGkYaYVSEEAhAL3SLAWwHKeKrt6s3FKB0c',
    source: '918x98xx21x4',
    type: 'text',
    payload: { text: 'Hi' },
    sender: { phone: '918x98xx21x4', name: 'Smit' },
  },
};

// ---- Vonage (Messages API): Authorization: Bearer HS256 JWT with iat, jti and payload_hash (SHA-256 of the body).
const VONAGE_SECRET = randomBytes(24).toString('hex');
const vonageStatus = {
  message_uuid: 'aaaaaaaa-bbbb-4ccc-8ddd-0123456789ab',
  to: '447700900000',
  from: '447700900001',
  timestamp: '2026-01-01T00:00:05Z',
  status: 'delivered',
  channel: 'sms',
};
const vonageMessage = {
  channel: 'whatsapp',
  message_uuid: 'bbbbbbbb-cccc-4ddd-8eee-0123456789ab',
  to: '447700900000',
  from: '447700900001',
  timestamp: '2026-01-01T00:01:00Z',
  message_type: 'text',
  text: 'Can I change my delivery slot?',
};

// ---- Plivo V3: base64 HMAC-SHA256 of "<url>?<sorted name+value>.<nonce>" under the auth token.
const PLIVO_TOKEN = randomBytes(20).toString('base64');
const plivoReport = { MessageUUID: '2f4a6c8e-1b3d-11ef-9a7c-0242ac110002', Status: 'delivered', From: '14155550100', To: '14155550123', Units: '1' };
const plivoInbound = { MessageUUID: '7a9c1e3f-1b3d-11ef-8f2b-0242ac110003', From: '14155550123', To: '14155550100', Type: 'sms', Text: 'Grüße & 1+1=2' };

// ---- Standard Webhooks: webhook-signature = v1,<base64 HMAC-SHA256 of "id.timestamp.body"> under the base64 key of whsec_….
const STANDARD_SECRET = `whsec_${randomBytes(24).toString('base64')}`;
const standardShipped = { type: 'order.shipped', data: { orderId: 'ord_1', carrier: 'ups' } };
const standardDelivered = { type: 'order.delivered', data: { orderId: 'ord_1', signedBy: 'J. Doe' } };

// ---- A provider described by settings: X-Acme-Signature = sha256=hex HMAC-SHA256 of "{id}.{timestamp}.{body}".
const GENERIC_SECRET = randomBytes(24).toString('hex');
const GENERIC_OPTIONS = {
  signatureHeader: 'X-Acme-Signature',
  algorithm: 'sha256',
  encoding: 'hex',
  prefix: 'sha256=',
  signedContent: '{id}.{timestamp}.{body}',
  timestampHeader: 'X-Acme-Timestamp',
  toleranceSeconds: 300,
  idHeader: 'X-Acme-Event-Id',
  typeField: 'event',
};
const genericTransit = { event: 'shipment.updated', shipmentId: 'shp_1', status: 'in_transit' };
const genericDelivered = { event: 'shipment.delivered', shipmentId: 'shp_1', status: 'delivered' };

const CASES: ProviderCase[] = [
  {
    provider: 'stripe',
    source: { secret: STRIPE_SECRET },
    callbacks: [
      { body: json(stripePaid), headers: jsonContentType, events: [{ kind: 'invoice.paid', data: stripePaid }] },
      { body: json(stripeRefunded), headers: jsonContentType, events: [{ kind: 'charge.refunded', data: stripeRefunded }] },
    ],
    sign: (_url, { body }, at, key) => ({
      'Stripe-Signature': `t=${at},v1=${createHmac('sha256', secretOf(key, STRIPE_SECRET)).update(`${at}.${body}`).digest('hex')}`,
    }),
    signatureHeader: 'Stripe-Signature',
    tamper: ['"amount_paid":3900', '"amount_paid":1'],
    signsTimestamp: true,
  },
  {
    provider: 'github',
    source: { secret: GITHUB_SECRET },
    callbacks: [
      {
        body: json(githubIssue),
        headers: { ...jsonContentType, 'X-GitHub-Event': 'issues', 'X-GitHub-Delivery': randomUUID() },
        events: [{ kind: 'issues.opened', data: githubIssue }],
      },
      {
        body: json(githubPing),
        headers: { ...jsonContentType, 'X-GitHub-Event': 'ping', 'X-GitHub-Delivery': randomUUID() },
        events: [{ kind: 'ping', data: githubPing }],
      },
    ],
    sign: (_url, { body }, _at, key) => ({ 'X-Hub-Signature-256': `sha256=${createHmac('sha256', secretOf(key, GITHUB_SECRET)).update(body).digest('hex')}` }),
    signatureHeader: 'X-Hub-Signature-256',
    tamper: ['"number":77', '"number":78'],
    signsTimestamp: false,
  },
  {
    provider: 'twilio',
    source: { secret: TWILIO_TOKEN },
    callbacks: [
      { body: form(twilioStatus), headers: formContentType, events: [{ kind: 'message_status', data: twilioStatus }] },
      { body: form(twilioMessage), headers: formContentType, events: [{ kind: 'message', data: twilioMessage }] },
    ],
    sign: (url, { body }, _at, key) => ({
      'X-Twilio-Signature': createHmac('sha1', secretOf(key, TWILIO_TOKEN))
        .update(url + sortedParams(body), 'utf8')
        .digest('base64'),
    }),
    signatureHeader: 'X-Twilio-Signature',
    tamper: ['MessageStatus=delivered', 'MessageStatus=failed'],
    signsTimestamp: false,
    answer: { contentType: /^text\/xml/, body: '<?xml version="1.0" encoding="UTF-8"?><Response></Response>' },
  },
  {
    provider: 'sendgrid',
    source: { publicKey: sendgridKeys.publicKey.export({ type: 'spki', format: 'der' }).toString('base64') },
    callbacks: [
      // A batch: one event per element.
      {
        body: json([sendgridProcessed, sendgridDelivered]),
        headers: jsonContentType,
        events: [
          { kind: 'processed', data: sendgridProcessed },
          { kind: 'delivered', data: sendgridDelivered },
        ],
      },
      { body: json([sendgridOpen]), headers: jsonContentType, events: [{ kind: 'open', data: sendgridOpen }] },
    ],
    sign: (_url, { body }, at, key) => {
      const privateKey: KeyObject = (key === 'own' ? sendgridKeys : sendgridWrongKeys).privateKey;
      return {
        'X-Twilio-Email-Event-Webhook-Signature': sign('sha256', Buffer.from(`${at}${body}`, 'utf8'), privateKey).toString('base64'),
        'X-Twilio-Email-Event-Webhook-Timestamp': String(at),
      };
    },
    signatureHeader: 'X-Twilio-Email-Event-Webhook-Signature',
    tamper: ['"event":"delivered"', '"event":"bounce"'],
    signsTimestamp: true,
  },
  {
    provider: 'meta_whatsapp',
    source: { secret: META_SECRET, options: { verifyToken: META_VERIFY_TOKEN } },
    callbacks: [
      // Each status and message carries its change's metadata (and contacts).
      {
        body: json(metaNotification({ statuses: [metaStatus] })),
        headers: jsonContentType,
        events: [{ kind: 'message_status', data: { ...metaStatus, metadata: metaMetadata } }],
      },
      {
        body: json(metaNotification({ contacts: metaContacts, messages: [metaMessage] })),
        headers: jsonContentType,
        events: [{ kind: 'message', data: { ...metaMessage, metadata: metaMetadata, contacts: metaContacts } }],
      },
    ],
    sign: (_url, { body }, _at, key) => ({ 'X-Hub-Signature-256': `sha256=${createHmac('sha256', secretOf(key, META_SECRET)).update(body).digest('hex')}` }),
    signatureHeader: 'X-Hub-Signature-256',
    tamper: ['"status":"delivered"', '"status":"read"'],
    signsTimestamp: false,
  },
  {
    provider: 'messagebird',
    source: { secret: MESSAGEBIRD_KEY },
    callbacks: [
      { body: json(messagebirdReport), headers: jsonContentType, events: [{ kind: 'message_status', data: messagebirdReport }] },
      { body: json(messagebirdInbound), headers: jsonContentType, events: [{ kind: 'message', data: messagebirdInbound }] },
    ],
    sign: (url, { body }, at, key) => ({
      'MessageBird-Signature-JWT': hs256(
        { iss: 'MessageBird', nbf: at, iat: at, exp: at + 60, jti: randomUUID(), url_hash: sha256Hex(url), payload_hash: sha256Hex(body) },
        secretOf(key, MESSAGEBIRD_KEY),
      ),
    }),
    signatureHeader: 'MessageBird-Signature-JWT',
    tamper: ['"status":"delivered"', '"status":"delivery_failed"'],
    signsTimestamp: true,
  },
  {
    provider: 'gupshup',
    source: { secret: GUPSHUP_TOKEN },
    callbacks: [
      { body: json(gupshupStatus), headers: jsonContentType, events: [{ kind: 'message_status', data: gupshupStatus }] },
      { body: json(gupshupMessage), headers: jsonContentType, events: [{ kind: 'message', data: gupshupMessage }] },
    ],
    sign: (_url, _callback, _at, key) => ({ Authorization: `Bearer ${secretOf(key, GUPSHUP_TOKEN)}` }),
    signatureHeader: 'Authorization',
    // No tamper: Gupshup signs nothing, the token is all that is checked, so a changed body with the right token is
    // accepted by design. Only the wrong token and the missing header are refused.
    signsTimestamp: false,
  },
  {
    provider: 'vonage',
    source: { secret: VONAGE_SECRET },
    callbacks: [
      { body: json(vonageStatus), headers: jsonContentType, events: [{ kind: 'message_status', data: vonageStatus }] },
      { body: json(vonageMessage), headers: jsonContentType, events: [{ kind: 'message', data: vonageMessage }] },
    ],
    sign: (_url, { body }, at, key) => ({
      Authorization: `Bearer ${hs256({ iat: at, jti: randomUUID(), iss: 'Vonage', payload_hash: sha256Hex(body), api_key: 'a1b2c3d4' }, secretOf(key, VONAGE_SECRET))}`,
    }),
    signatureHeader: 'Authorization',
    tamper: ['"status":"delivered"', '"status":"rejected"'],
    signsTimestamp: true,
  },
  {
    provider: 'plivo',
    source: { secret: PLIVO_TOKEN },
    callbacks: [
      { body: form(plivoReport), headers: formContentType, events: [{ kind: 'message_status', data: plivoReport }] },
      { body: form(plivoInbound), headers: formContentType, events: [{ kind: 'message', data: plivoInbound }] },
    ],
    sign: (url, { body }, _at, key) => {
      const nonce = String(randomBytes(8).readBigUInt64BE());
      return {
        'X-Plivo-Signature-V3': createHmac('sha256', secretOf(key, PLIVO_TOKEN))
          .update(`${url}?${sortedParams(body)}.${nonce}`, 'utf8')
          .digest('base64'),
        'X-Plivo-Signature-V3-Nonce': nonce,
      };
    },
    signatureHeader: 'X-Plivo-Signature-V3',
    tamper: ['Status=delivered', 'Status=failed'],
    signsTimestamp: false,
  },
  {
    provider: 'standard_webhooks',
    source: { secret: STANDARD_SECRET },
    callbacks: [
      {
        body: json(standardShipped),
        headers: { ...jsonContentType, 'webhook-id': 'msg_2LxVh0sH1E2eShipped' },
        events: [{ kind: 'order.shipped', data: standardShipped }],
      },
      {
        body: json(standardDelivered),
        headers: { ...jsonContentType, 'webhook-id': 'msg_2LxVh0sH1E2eDelivered' },
        events: [{ kind: 'order.delivered', data: standardDelivered }],
      },
    ],
    sign: (_url, { body, headers }, at, key) => {
      const secret = Buffer.from(STANDARD_SECRET.slice('whsec_'.length), 'base64');
      const hmacKey = key === 'own' ? secret : Buffer.concat([secret.subarray(1), Buffer.from([0])]);
      return {
        'webhook-timestamp': String(at),
        'webhook-signature': `v1,${createHmac('sha256', hmacKey).update(`${headers['webhook-id']}.${at}.${body}`).digest('base64')}`,
      };
    },
    signatureHeader: 'webhook-signature',
    tamper: ['"carrier":"ups"', '"carrier":"dhl"'],
    signsTimestamp: true,
  },
  {
    provider: 'generic_hmac',
    source: { secret: GENERIC_SECRET, options: GENERIC_OPTIONS },
    callbacks: [
      {
        body: json(genericTransit),
        headers: { ...jsonContentType, 'X-Acme-Event-Id': 'acme_evt_1' },
        events: [{ kind: 'shipment.updated', data: genericTransit }],
      },
      {
        body: json(genericDelivered),
        headers: { ...jsonContentType, 'X-Acme-Event-Id': 'acme_evt_2' },
        events: [{ kind: 'shipment.delivered', data: genericDelivered }],
      },
    ],
    sign: (_url, { body, headers }, at, key) => ({
      'X-Acme-Timestamp': String(at),
      'X-Acme-Signature': `sha256=${createHmac('sha256', secretOf(key, GENERIC_SECRET)).update(`${headers['X-Acme-Event-Id']}.${at}.${body}`).digest('hex')}`,
    }),
    signatureHeader: 'X-Acme-Signature',
    tamper: ['"status":"in_transit"', '"status":"lost"'],
    signsTimestamp: true,
  },
];

const withoutHeader = (headers: Record<string, string>, name: string) =>
  Object.fromEntries(Object.entries(headers).filter(([header]) => header.toLowerCase() !== name.toLowerCase()));

describe('inbound webhooks on the real stack: every provider verified, delivered once, refusals logged', () => {
  // One request at a time per endpoint: deliveries reach an endpoint in the order their events were accepted, so once
  // the marker has arrived, anything sent before it (a wrongly delivered retry included) has arrived too.
  const { stack, receiver } = stackForSuite({ env: { DISPATCHER_ENDPOINT_CONCURRENCY: '1' } });

  /** A request to ingest exactly as given: raw body, the provider's headers, no API key. */
  const send = async (url: string, request: SentRequest): Promise<Answer> => {
    const res = await fetch(url, { method: request.method ?? 'POST', headers: request.headers, body: request.body });
    return { status: res.status, contentType: res.headers.get('content-type') ?? '', text: await res.text() };
  };

  const createSource = async (tenantId: string, input: Record<string, unknown>): Promise<{ source: SourceView; url: string }> => {
    const res = await stack.api<SourceView>('admin-api', 'POST', `/v1/tenants/${tenantId}/inbound-sources`, input);
    expect(res.status).toBe(201);
    expect(res.body.path).toBe(`/v1/inbound/${res.body.id}`);
    return { source: res.body, url: `${stack.url('ingest')}${res.body.path}` };
  };

  /** The source's inbound log, oldest first. */
  const logOf = async (tenantId: string, sourceId: string): Promise<LogEntry[]> => {
    const res = await stack.api<{ data: LogEntry[]; nextCursor: string | null }>(
      'admin-api',
      'GET',
      `/v1/tenants/${tenantId}/inbound-sources/${sourceId}/log?limit=100`,
    );
    expect(res.status).toBe(200);
    return [...res.body.data].reverse();
  };

  const refusal = (reason: string, size: number, status = 401) => ({ outcome: 'refused', status, reason, size, eventIds: [], body: null });

  describe.each(CASES.map((c) => [c.provider, c] as const))('%s', (provider, c) => {
    it('accepts a signed callback once, delivers it as inbound.<provider>.<kind>, refuses and logs bad requests', async () => {
      const tenantId = `in-${provider}`;
      const { source, url } = await createSource(tenantId, { provider, name: `${provider} (e2e)`, ...c.source });
      expect(source.hasSecret).toBe(c.source.secret !== undefined);
      const endpoint = await stack.api('admin-api', 'POST', `/v1/tenants/${tenantId}/endpoints`, {
        url: `${receiver.url}/${provider}`,
        eventTypes: [`inbound.${provider}.*`],
      });
      expect(endpoint.status).toBe(201);

      const [first, marker] = c.callbacks;
      const signed = (callback: Callback, at = nowSeconds(), key: Key = 'own'): SentRequest => ({
        headers: { ...callback.headers, ...c.sign(url, callback, at, key) },
        body: callback.body,
      });
      const expectAccepted = (answer: Answer) => {
        expect(answer.status).toBe(200);
        if (c.answer) {
          expect(answer.contentType).toMatch(c.answer.contentType);
          expect(answer.text).toBe(c.answer.body);
        } else {
          expect(answer.contentType).toMatch(/^application\/json/);
          expect(JSON.parse(answer.text)).toEqual({ received: true });
        }
      };

      const valid = signed(first);
      expectAccepted(await send(url, valid));

      const bad: { what: string; request: SentRequest; reason: string }[] = [];
      if (c.tamper) {
        const [from, to] = c.tamper;
        expect(first.body).toContain(from);
        bad.push({ what: 'a tampered body', request: { ...valid, body: first.body.replace(from, to) }, reason: 'bad_signature' });
      }
      bad.push({ what: 'signed with a wrong key', request: signed(first, nowSeconds(), 'wrong'), reason: 'bad_signature' });
      if (c.signsTimestamp) bad.push({ what: 'a timestamp an hour old', request: signed(first, nowSeconds() - HOUR), reason: 'stale_timestamp' });
      bad.push({ what: 'no signature', request: { ...valid, headers: withoutHeader(valid.headers, c.signatureHeader) }, reason: 'missing_signature' });
      for (const { what, request, reason } of bad) {
        const answer = await send(url, request);
        expect({ what, status: answer.status, error: (JSON.parse(answer.text) as { error: string }).error }).toEqual({ what, status: 401, error: reason });
      }

      // The provider's retry: the very same request, answered as before, deduplicated.
      expectAccepted(await send(url, valid));
      const markerRequest = signed(marker);
      expectAccepted(await send(url, markerRequest));

      // The log is written before ingest answers: every request is in it already, each with its outcome.
      const log = await logOf(tenantId, source.id);
      const size = (request: SentRequest) => Buffer.byteLength(request.body ?? '');
      const [firstIds, retryIds, markerIds] = log.filter((e) => e.outcome === 'accepted').map((e) => e.eventIds);
      expect(log.map(({ outcome, status, reason, size: bytes, eventIds, body }) => ({ outcome, status, reason, size: bytes, eventIds, body }))).toEqual([
        { outcome: 'accepted', status: 200, reason: null, size: size(valid), eventIds: firstIds, body: null },
        ...bad.map(({ request, reason }) => refusal(reason, size(request))),
        { outcome: 'accepted', status: 200, reason: null, size: size(valid), eventIds: firstIds, body: null },
        { outcome: 'accepted', status: 200, reason: null, size: size(markerRequest), eventIds: markerIds, body: null },
      ]);
      expect(firstIds).toHaveLength(first.events.length);
      expect(retryIds).toEqual(firstIds);
      expect(markerIds).toHaveLength(marker.events.length);
      expect(markerIds.filter((id) => firstIds.includes(id))).toEqual([]);
      // Nothing of the source's secret in what the log says of refusals.
      if (c.source.secret) expect(JSON.stringify(log)).not.toContain(c.source.secret);

      await receiver.waitFor((r) => r.path === `/${provider}` && r.headers['webhook-id'] === markerIds.at(-1), {
        what: `the marker callback delivered at /${provider}`,
      });
      const delivered = receiver.requests
        .filter((r) => r.path === `/${provider}`)
        .map((r) => ({ id: r.headers['webhook-id'], type: r.headers['x-hookline-event'], data: (JSON.parse(r.body) as { data: unknown }).data }));
      const ids = [...firstIds, ...markerIds];
      expect(delivered).toEqual([...first.events, ...marker.events].map((e, i) => ({ id: ids[i], type: `inbound.${provider}.${e.kind}`, data: e.data })));
    });
  });

  it('meta_whatsapp: answers the GET verification request with its challenge, and refuses a wrong verify token with 403', async () => {
    const tenantId = 'in-meta_whatsapp';
    const { source, url } = await createSource(tenantId, {
      provider: 'meta_whatsapp',
      name: 'WhatsApp verification (e2e)',
      secret: META_SECRET,
      options: { verifyToken: META_VERIFY_TOKEN },
    });
    const query = (token: string) => `?hub.mode=subscribe&hub.verify_token=${encodeURIComponent(token)}&hub.challenge=1158201444`;

    const ok = await send(url + query(META_VERIFY_TOKEN), { method: 'GET', headers: {} });
    expect(ok.status).toBe(200);
    expect(ok.contentType).toMatch(/^text\/plain/);
    expect(ok.text).toBe('1158201444');

    const wrong = await send(url + query(`${META_VERIFY_TOKEN}x`), { method: 'GET', headers: {} });
    expect(wrong.status).toBe(403);
    expect((JSON.parse(wrong.text) as { error: string }).error).toBe('bad_verify_token');

    expect((await logOf(tenantId, source.id)).map(({ outcome, status, reason, eventIds }) => ({ outcome, status, reason, eventIds }))).toEqual([
      { outcome: 'handshake', status: 200, reason: null, eventIds: [] },
      { outcome: 'refused', status: 403, reason: 'bad_verify_token', eventIds: [] },
    ]);
  });

  /*
   * AWS SNS: the module fetches the signing certificate from SigningCertURL, which it only trusts on
   * https://sns.<region>.amazonaws.com/…pem (port 443, through ingest's egress and the system resolver). Nothing in
   * ingest's configuration points that fetch elsewhere, so a valid message cannot be verified end to end here without
   * changing production code. What is tested: every refusal made before anything is fetched, and that nothing is.
   */
  describe('aws_sns (refusals only: the signing certificate cannot be served to ingest in a test)', () => {
    const TOPIC = 'arn:aws:sns:us-east-1:123456789012:hookline-e2e';
    const AWS_CERT_URL = 'https://sns.us-east-1.amazonaws.com/SimpleNotificationService-9c6465fa7f48f5cacd23014631ec1136.pem';
    const signer = generateKeyPairSync('rsa', { modulusLength: 2048 });

    /** An SNS message signed (SignatureVersion 2, SHA256withRSA) over the documented string to sign, with a key the test holds. */
    const snsMessage = (fields: Record<string, string>, signingCertUrl = AWS_CERT_URL): Record<string, string> => {
      const order =
        fields.Type === 'Notification'
          ? ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type']
          : ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'];
      const stringToSign = order
        .filter((name) => fields[name] !== undefined)
        .map((name) => `${name}\n${fields[name]}\n`)
        .join('');
      return {
        ...fields,
        SignatureVersion: '2',
        Signature: sign('sha256', Buffer.from(stringToSign, 'utf8'), signer.privateKey).toString('base64'),
        SigningCertURL: signingCertUrl,
      };
    };
    const notification = (overrides: Record<string, string> = {}) => ({
      Type: 'Notification',
      MessageId: randomUUID(),
      TopicArn: TOPIC,
      Subject: 'Order shipped',
      Message: json({ orderId: 'ord_8123', status: 'shipped' }),
      Timestamp: new Date().toISOString(),
      UnsubscribeURL: `https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=${TOPIC}:c9135db0-26c4-47ec-8998-413945fb5a96`,
      ...overrides,
    });
    const post = (message: Record<string, string>): SentRequest => ({
      headers: { 'Content-Type': 'text/plain; charset=UTF-8', 'x-amz-sns-message-type': message.Type, 'x-amz-sns-topic-arn': message.TopicArn },
      body: json(message),
    });

    it('refuses a message without a signature, a stale one, another topic’s, one whose certificate is not on AWS, and fetches nothing', async () => {
      const tenantId = 'in-aws_sns';
      const { source, url } = await createSource(tenantId, { provider: 'aws_sns', name: 'SNS (e2e)', options: { topicArns: [TOPIC] } });
      const local = `${receiver.url}/aws_sns`;

      const unsigned = snsMessage(notification());
      delete unsigned.Signature;
      const tamperedTopic = { ...snsMessage(notification()), TopicArn: `${TOPIC}-other` };
      const cases: { what: string; request: SentRequest; status: number; reason: string }[] = [
        { what: 'no Signature', request: post(unsigned), status: 401, reason: 'missing_signature' },
        {
          what: 'a Timestamp two hours old',
          request: post(snsMessage(notification({ Timestamp: new Date(Date.now() - 2 * HOUR * 1000).toISOString() }))),
          status: 401,
          reason: 'stale_timestamp',
        },
        // The signed TopicArn changed in transit: refused by the source's topic allow-list before any certificate is fetched.
        { what: 'a TopicArn not in topicArns', request: post(tamperedTopic), status: 403, reason: 'bad_verify_token' },
        {
          what: 'a certificate on a local server',
          request: post(snsMessage(notification(), `${local}/cert.pem`)),
          status: 401,
          reason: 'untrusted_certificate',
        },
        {
          what: 'a certificate on a look-alike host',
          request: post(snsMessage(notification(), 'https://sns.us-east-1.amazonaws.com.attacker.example/cert.pem')),
          status: 401,
          reason: 'untrusted_certificate',
        },
        {
          what: 'a certificate over http',
          request: post(snsMessage(notification(), AWS_CERT_URL.replace('https:', 'http:'))),
          status: 401,
          reason: 'untrusted_certificate',
        },
        {
          what: 'a SubscriptionConfirmation whose certificate and SubscribeURL are local',
          request: post(
            snsMessage(
              {
                Type: 'SubscriptionConfirmation',
                MessageId: randomUUID(),
                Token: '2336412f37fb687f5d51e6e241d16',
                TopicArn: TOPIC,
                Message: `You have chosen to subscribe to the topic ${TOPIC}.`,
                SubscribeURL: `${local}/confirm?Action=ConfirmSubscription&Token=2336412f37fb687f5d51e6e241d16`,
                Timestamp: new Date().toISOString(),
              },
              `${local}/cert.pem`,
            ),
          ),
          status: 401,
          reason: 'untrusted_certificate',
        },
      ];
      for (const { what, request, status, reason } of cases) {
        const answer = await send(url, request);
        expect({ what, status: answer.status, error: (JSON.parse(answer.text) as { error: string }).error }).toEqual({ what, status, error: reason });
      }

      // Ingest fetches a certificate (and confirms a subscription) before it answers: after the answers, nothing was fetched.
      expect(receiver.requests.filter((r) => r.path.startsWith('/aws_sns'))).toEqual([]);
      expect((await logOf(tenantId, source.id)).map(({ outcome, status, reason, eventIds }) => ({ outcome, status, reason, eventIds }))).toEqual(
        cases.map(({ status, reason }) => ({ outcome: 'refused', status, reason, eventIds: [] })),
      );
    });
  });
});
