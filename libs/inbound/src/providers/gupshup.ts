import { createHash, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { jsonObject, kindOf, textOf } from '../crypto';
import { refuse, type InboundProvider, type NormalisedEvent, type Verdict, type ProviderKind } from '../provider';

const Options = z
  .object({
    /**
     * The header carrying the token: the header the source's Gupshup subscription sets through its `meta` (Gupshup's
     * own example names it `Authorisation`). The value is `Bearer <secret>` or the bare secret.
     */
    tokenHeader: z
      .string()
      .regex(/^[A-Za-z0-9-]{1,100}$/, 'must be an HTTP header name')
      .refine((name) => !['content-type', 'content-length', 'host', 'user-agent'].includes(name.toLowerCase()), 'must not be a header Gupshup sets itself')
      .default('authorization'),
  })
  .strict();
export type GupshupOptions = z.infer<typeof Options>;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);
const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/** A Unix time Gupshup gives in seconds or in milliseconds (its docs say both occur), as ISO 8601. */
function isoFromUnix(v: unknown): string | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^[0-9]{9,14}$/.test(v) ? Number(v) : NaN;
  if (!Number.isFinite(n) || n <= 0) return undefined;
  const date = new Date(n >= 1e12 ? n : n * 1000);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/**
 * Gupshup (WhatsApp Business API, Gupshup.io self-serve and partner apps).
 *
 * GUPSHUP SIGNS NOTHING. Its callbacks carry no signature, no HMAC and no signed timestamp
 * (https://docs.gupshup.io/docs/webhook-key-points offers only allow-listing Gupshup's IPs, obtained from support).
 * The one authentication Gupshup documents is a static header of the receiver's choosing: a subscription's `meta`
 * "will be passed to the subscription URL as headers, users can set custom headers for the URL which can be used for
 * authentication" (https://partner-docs.gupshup.io/reference/setsubscription-api-v3, example
 * `{"headers":{"Authorisation":"Bearer …"}}`). So this is the strongest check available, and it is a shared token,
 * not a signature: it proves the caller knows the token, not that the body is Gupshup's or recent; a party that sees
 * one callback (TLS interception, a logging proxy) can replay or forge others. Use HTTPS, a long random token, and
 * Gupshup's IP allow-list where the deployment allows.
 *
 * Verified: the header named by `tokenHeader` (default `authorization`) holds `Bearer <secret>` (scheme
 * case-insensitive) or exactly `<secret>`, where the secret is the source's `keys.secret`; compared in constant time
 * (SHA-256 of both sides, so neither the token nor its length leaks through timing). A source without a secret refuses
 * everything. Only POSTs are accepted.
 *
 * The body is JSON, in one of Gupshup's two callback formats:
 * - v2, Gupshup's own (https://docs.gupshup.io/docs/message-events,
 *   https://console-docs.gupshup.io/docs/inbound-messages-and-events): `{ app, timestamp, version: 2, type, payload }`.
 *   `type: "message"` → kind `message`, id `payload.id` (the WhatsApp message id); `type: "message-event"` → kind
 *   `message_status`, id `<payload.gsId or payload.id>:<payload.type>` (enqueued, sent, delivered, read, failed, …: one
 *   message has one id across its statuses); `user-event` → `user_event`, `system-event` → `system_event`,
 *   `billing-event` → `billing_event` (no id: Gupshup gives none).
 * - v3, Meta's Cloud API shape (https://partner-docs.gupshup.io/docs/events): `{ object: "whatsapp_business_account",
 *   gs_app_id, entry: [{ changes: [{ field, value: { statuses?, messages?, … } }] }] }`, which may batch: each
 *   `statuses[]` element → `message_status`, id `<gs_id or id>:<status>`; each `messages[]` element → `message`, id
 *   its `id`; any other change → kind of its `field` (e.g. `message_template_status_update`), no id. Each event's data
 *   is `{ gs_app_id, field, metadata, status | message | value, contacts? }`.
 * Anything else → `callback`. occurredAt comes from the event's timestamp (seconds or milliseconds).
 */
export const gupshup: InboundProvider = {
  name: 'gupshup',
  keys: 'secret',
  parseOptions: (options) => Options.parse(options ?? {}),
  async verify(request, keys): Promise<Verdict> {
    if (request.method !== 'POST') return refuse(405, 'method_not_allowed', 'Gupshup callbacks are POSTs');
    const o = Options.parse(keys.options);
    const value = request.headers[o.tokenHeader.toLowerCase()]?.trim();
    if (!value) return refuse(401, 'missing_signature', `no ${o.tokenHeader} header (Gupshup signs nothing: the token is the only check)`);
    if (!keys.secret) return refuse(401, 'bad_signature', 'the source has no token to compare with');
    // `Bearer <secret>` or the bare secret; both readings are compared (no short cut), each on SHA-256 digests: equal
    // lengths for timingSafeEqual, and the token's length does not leak either.
    const bearer = /^bearer[ \t]+(.*)$/i.exec(value);
    const expected = digest(keys.secret);
    const matches = [value, bearer ? bearer[1].trim() : ''].map((given) => given !== '' && timingSafeEqual(digest(given), expected));
    if (!matches.includes(true)) return refuse(401, 'bad_signature', `${o.tokenHeader} does not hold the source's token`);

    const body = jsonObject(request.rawBody);
    if (!body) return refuse(400, 'malformed', 'the body is not a JSON object');
    return { kind: 'accepted', events: normalise(body) };
  },
};

function normalise(body: Json): NormalisedEvent[] {
  if (Array.isArray(body.entry)) return fromV3(body);
  const type = textOf(body.type);
  const payload = isObject(body.payload) ? body.payload : undefined;
  const occurredAt = isoFromUnix(body.timestamp);
  const at = occurredAt ? { occurredAt } : {};
  if (type === 'message' && payload) {
    const id = textOf(payload.id);
    return [{ kind: 'message', ...(id ? { id } : {}), data: body, ...at }];
  }
  if (type === 'message-event' && payload) {
    const messageId = textOf(payload.gsId) ?? textOf(payload.id);
    const status = textOf(payload.type);
    const inner = isObject(payload.payload) ? payload.payload : {};
    const statusAt = isoFromUnix(inner.ts) ?? isoFromUnix(payload.ts) ?? occurredAt;
    return [
      {
        kind: 'message_status',
        ...(messageId ? { id: status ? `${messageId}:${status}` : messageId } : {}),
        data: body,
        ...(statusAt ? { occurredAt: statusAt } : {}),
      },
    ];
  }
  return [{ kind: (type && kindOf(type)) || 'callback', data: body, ...at }];
}

function fromV3(body: Json): NormalisedEvent[] {
  const events: NormalisedEvent[] = [];
  const context = { ...(body.gs_app_id !== undefined ? { gs_app_id: body.gs_app_id } : {}) };
  for (const entry of body.entry as unknown[]) {
    if (!isObject(entry) || !Array.isArray(entry.changes)) continue;
    for (const change of entry.changes as unknown[]) {
      if (!isObject(change)) continue;
      const field = textOf(change.field) ?? '';
      const value = isObject(change.value) ? change.value : {};
      const where = { ...context, field, ...(value.metadata !== undefined ? { metadata: value.metadata } : {}) };
      const statuses = Array.isArray(value.statuses) ? value.statuses.filter(isObject) : [];
      const messages = Array.isArray(value.messages) ? value.messages.filter(isObject) : [];
      for (const status of statuses) {
        const messageId = textOf(status.gs_id) ?? textOf(status.id);
        const state = textOf(status.status);
        const occurredAt = isoFromUnix(status.timestamp);
        events.push({
          kind: 'message_status',
          ...(messageId ? { id: state ? `${messageId}:${state}` : messageId } : {}),
          data: { ...where, status },
          ...(occurredAt ? { occurredAt } : {}),
        });
      }
      for (const message of messages) {
        const id = textOf(message.id);
        const occurredAt = isoFromUnix(message.timestamp);
        events.push({
          kind: 'message',
          ...(id ? { id } : {}),
          data: { ...where, ...(value.contacts !== undefined ? { contacts: value.contacts } : {}), message },
          ...(occurredAt ? { occurredAt } : {}),
        });
      }
      if (statuses.length === 0 && messages.length === 0) events.push({ kind: kindOf(field) || 'callback', data: { ...where, value } });
    }
  }
  return events.length > 0 ? events : [{ kind: 'callback', data: body }];
}

/** The common kinds of Gupshup WhatsApp callbacks (v2 format: https://docs.gupshup.io/docs/message-events, https://console-docs.gupshup.io/docs/inbound-messages-and-events). */
export const gupshupKinds: ProviderKind[] = [
  {
    kind: 'message',
    description:
      'A WhatsApp message a customer sent to your number (text, image, file, audio, video, location, contact, button or list reply); in the v3 format, one per messages[] element. Id: the WhatsApp message id.',
    example: {
      app: 'AcmeSupport',
      timestamp: 1772443800000,
      version: 2,
      type: 'message',
      payload: {
        id: 'ABEGkZUTIXZ0Ago6jWqOZm-Sz0WD',
        source: '918x98xx21x4',
        type: 'text',
        payload: { text: 'Where is my order?' },
        sender: { phone: '918x98xx21x4', name: 'Asha', country_code: '91', dial_code: '8x98xx21x4' },
      },
    },
  },
  {
    kind: 'message_status',
    description:
      'A status of a message you sent: enqueued, sent, delivered, read, failed (or deleted); in the v3 format, one per statuses[] element. Id: the Gupshup message id (gsId / gs_id, else id) and the status.',
    example: {
      app: 'AcmeSupport',
      timestamp: 1772443795000,
      version: 2,
      type: 'message-event',
      payload: {
        id: 'gBEGkYaYVSEEAgnZxQ3JmKK6Wvg',
        gsId: 'ee4a68a0-1203-4c85-8dc3-49d0b3226a35',
        type: 'delivered',
        destination: '918x98xx21x4',
        payload: { ts: 1772443794 },
      },
    },
  },
  {
    kind: 'user_event',
    description: 'A user opted in or out, or started the sandbox (payload.type: opted-in, opted-out, sandbox-start). No id.',
    example: { app: 'AcmeSupport', timestamp: 1772443700000, version: 2, type: 'user-event', payload: { phone: '918x98xx21x4', type: 'opted-in' } },
  },
  {
    kind: 'system_event',
    description: "A change to your WhatsApp account or templates (a template's approval, a quality rating). No id.",
    example: {
      app: 'AcmeSupport',
      timestamp: 1772443600000,
      version: 2,
      type: 'system-event',
      payload: {
        type: 'template-event',
        payload: { id: '7d3f8c2e-2b1a-4c9e-9f1e-3a6b5c4d2e10', status: 'approved', elementName: 'order_shipped', languageCode: 'en' },
      },
    },
  },
  {
    kind: 'billing_event',
    description: 'What a conversation or message was charged (deductions and references). No id.',
    example: {
      app: 'AcmeSupport',
      timestamp: 1772443796000,
      version: 2,
      type: 'billing-event',
      payload: {
        deductions: { type: 'utility', model: 'PMP', source: 'whatsapp', billable: true },
        references: {
          id: 'gBEGkYaYVSEEAgnZxQ3JmKK6Wvg',
          gsId: 'ee4a68a0-1203-4c85-8dc3-49d0b3226a35',
          conversationId: '3dabdf65abaf1cbbf85217d232cce91f',
          destination: '918x98xx21x4',
        },
      },
    },
  },
];
