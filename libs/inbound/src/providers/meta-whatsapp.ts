import { z } from 'zod';
import { hmac, jsonObject, kindOf, safeEqual } from '../crypto';
import { refuse, type InboundProvider, type NormalisedEvent, type Verdict, type ProviderKind } from '../provider';

const Options = z
  .object({
    /** The Verify Token entered beside the callback URL in the Meta App Dashboard; Meta sends it back as `hub.verify_token`. */
    verifyToken: z
      .string({ error: 'verifyToken is required: the Verify Token set for the callback URL in the Meta App Dashboard' })
      .min(1, 'verifyToken must not be empty')
      .max(256, 'verifyToken must be at most 256 characters'),
  })
  .strict();
export type MetaWhatsappOptions = z.infer<typeof Options>;

/** What Meta's challenge may be echoed as: Meta sends an integer; anything printable and short is passed back, nothing else. */
const CHALLENGE = /^[\x21-\x7e]{1,256}$/;

// The parts of a notification the events are made of; everything else passes through untouched.
const Message = z.looseObject({ id: z.string().min(1) });
const Status = z.looseObject({ id: z.string().min(1), status: z.string().min(1) });
const MessagesValue = z.looseObject({ messages: z.array(Message).optional(), statuses: z.array(Status).optional() });
const Change = z.looseObject({ field: z.string().min(1), value: z.unknown() });
const Notification = z.looseObject({ entry: z.array(z.looseObject({ changes: z.array(Change).optional() })) });

/** A WhatsApp `timestamp` (Unix seconds, as a string) as ISO 8601. */
function occurredAt(timestamp: unknown): string | undefined {
  const seconds = typeof timestamp === 'string' && /^[0-9]{1,11}$/.test(timestamp) ? Number(timestamp) : typeof timestamp === 'number' ? timestamp : NaN;
  return Number.isInteger(seconds) && seconds >= 0 && seconds < 1e11 ? new Date(seconds * 1000).toISOString() : undefined;
}

/**
 * A message or status with its change's `metadata` (the business number) and
 * `contacts` (the WhatsApp user's profile). The item's own fields win: a
 * shared-contacts message has its own `contacts` (the cards shared), so the
 * change's are then given as `change_contacts` (likewise `change_metadata`).
 */
function withContext(item: Record<string, unknown>, value: Record<string, unknown>): Record<string, unknown> {
  const data: Record<string, unknown> = { ...item };
  for (const key of ['metadata', 'contacts'] as const) {
    if (value[key] === undefined) continue;
    data[key in item ? `change_${key}` : key] = value[key];
  }
  return data;
}

function eventsOf(notification: z.infer<typeof Notification>): NormalisedEvent[] | string {
  const events: NormalisedEvent[] = [];
  for (const entry of notification.entry) {
    for (const change of entry.changes ?? []) {
      const value =
        change.value !== null && typeof change.value === 'object' && !Array.isArray(change.value) ? (change.value as Record<string, unknown>) : undefined;
      if (change.field === 'messages' && value) {
        const parsed = MessagesValue.safeParse(value);
        if (!parsed.success) return 'a messages change has a message without an id or a status without an id and status';
        const { messages = [], statuses = [] } = parsed.data;
        for (const message of messages) {
          const at = occurredAt(message.timestamp);
          events.push({ kind: 'message', id: message.id, data: withContext(message, value), ...(at ? { occurredAt: at } : {}) });
        }
        for (const status of statuses) {
          const at = occurredAt(status.timestamp);
          events.push({ kind: 'message_status', id: `${status.id}:${status.status}`, data: withContext(status, value), ...(at ? { occurredAt: at } : {}) });
        }
        if (messages.length > 0 || statuses.length > 0) continue;
        // A messages change with neither (e.g. only `errors`) falls through: it is still one event, not dropped.
      }
      const kind = kindOf(change.field);
      if (!kind) return 'a change has a field that is no name';
      events.push({ kind, data: value ?? { value: change.value } });
    }
  }
  return events;
}

/**
 * WhatsApp Cloud API webhooks, which are Meta Graph API webhooks
 * (https://developers.facebook.com/docs/graph-api/webhooks/getting-started,
 * https://developers.facebook.com/docs/whatsapp/cloud-api/guides/set-up-webhooks,
 * payloads: https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/components).
 *
 * Verification request: a GET with `hub.mode=subscribe`, `hub.verify_token`
 * and `hub.challenge` in the query. The token is compared in constant time
 * with the source's `verifyToken` option; when it matches, the answer is 200
 * with the challenge as a text/plain body (a handshake, no event); when it
 * does not, 403 `bad_verify_token`.
 *
 * Event notification: a POST whose `X-Hub-Signature-256` is `sha256=` and the
 * lowercase-hex HMAC-SHA256, under the app secret, of the raw body. Meta
 * signs the body exactly as it sends it, non-ASCII characters escaped
 * (`\u00e4`), so the raw bytes are what is checked, never a re-encoding.
 * Compared in constant time. Meta signs no timestamp: a retry is the same
 * notification, deduplicated by the events' ids.
 *
 * Only then is the body parsed. A notification batches `entry[].changes[]`;
 * each change of field `messages` becomes one event per
 * `value.messages[]` (kind `message`, id the message's `wamid`) and one per
 * `value.statuses[]` (kind `message_status`, id `<wamid>:<status>`, since the
 * sent, delivered and read statuses of one message share its wamid), each
 * with its change's `metadata` and `contacts`; a change of any other field
 * (`message_template_status_update`, `account_update`, …), or a `messages`
 * change with neither messages nor statuses, becomes one event whose kind is
 * the field and whose data is the change's value, with no id (Meta gives
 * none).
 */
export const metaWhatsapp: InboundProvider = {
  name: 'meta_whatsapp',
  keys: 'secret',
  parseOptions: (options) => Options.parse(options ?? {}),
  async verify(request, keys): Promise<Verdict> {
    if (request.method === 'GET') {
      let query: URLSearchParams;
      try {
        query = new URL(request.url).searchParams;
      } catch {
        return refuse(400, 'malformed', 'the request URL cannot be read');
      }
      if (query.get('hub.mode') !== 'subscribe') return refuse(400, 'malformed', 'a GET must be a verification request (hub.mode=subscribe)');
      const options = Options.safeParse(keys.options ?? {});
      if (!options.success) return refuse(403, 'bad_verify_token', 'the source has no valid verifyToken option to check hub.verify_token with');
      if (!safeEqual(query.get('hub.verify_token') ?? '', options.data.verifyToken))
        return refuse(403, 'bad_verify_token', "hub.verify_token does not match the source's verifyToken");
      const challenge = query.get('hub.challenge') ?? '';
      if (!CHALLENGE.test(challenge)) return refuse(400, 'malformed', 'no hub.challenge of 1-256 printable characters');
      return { kind: 'handshake', answer: { status: 200, contentType: 'text/plain', body: challenge }, detail: 'webhook verification request answered' };
    }
    if (request.method !== 'POST') return refuse(405, 'method_not_allowed', 'WhatsApp sends GET verification requests and POST notifications');

    const given = request.headers['x-hub-signature-256'];
    if (!given) return refuse(401, 'missing_signature', 'no X-Hub-Signature-256 header');
    // No secret must never mean "signed with the empty key", which anyone can compute.
    if (!keys.secret) return refuse(401, 'bad_signature', 'the source has no app secret to check X-Hub-Signature-256 with');
    const expected = `sha256=${hmac('sha256', keys.secret, request.rawBody, 'hex')}`;
    if (!safeEqual(given.trim().toLowerCase(), expected)) return refuse(401, 'bad_signature', 'X-Hub-Signature-256 does not match the body');

    const body = jsonObject(request.rawBody);
    if (!body) return refuse(400, 'malformed', 'the body is not a JSON object');
    const notification = Notification.safeParse(body);
    if (!notification.success) return refuse(400, 'malformed', 'the body has no entry[] of objects with changes[] of {field, value}');
    const events = eventsOf(notification.data);
    if (typeof events === 'string') return refuse(400, 'malformed', events);
    return { kind: 'accepted', events };
  },
};

const metadata = { display_phone_number: '15550783881', phone_number_id: '106540352242922' };
const contacts = [{ profile: { name: 'Sheena Nelson' }, wa_id: '16505551234' }];

/** The WhatsApp notifications a source receives most, each with an example of its data. */
export const metaWhatsappKinds: ProviderKind[] = [
  {
    kind: 'message',
    description:
      "A WhatsApp user sent the business a message (text, image, button reply, location, …; see `type`), with the business number (`metadata`) and the sender's profile (`contacts`; under `change_contacts` for a shared-contacts message, whose own `contacts` are the cards shared).",
    example: {
      from: '16505551234',
      id: 'wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA=',
      timestamp: '1739321024',
      type: 'text',
      text: { body: 'Hi! Is my order 6735 on its way?' },
      metadata,
      contacts,
    },
  },
  {
    kind: 'message_status',
    description:
      'A message the business sent changed status: `sent`, `delivered`, `read` or `failed` (with `errors`); pricing and conversation details when billable.',
    example: {
      id: 'wamid.HBgLMTY1MDU1NTEyMzQVAgARGBI3OEM1NTY5QkE0RDhCNUNFRjYA',
      status: 'delivered',
      timestamp: '1739321087',
      recipient_id: '16505551234',
      conversation: { id: 'f5fdae3920125a39a1e6a23e5f877c16', origin: { type: 'utility' } },
      pricing: { billable: true, pricing_model: 'CBP', category: 'utility' },
      metadata,
    },
  },
  {
    kind: 'message_template_status_update',
    description: "A message template's review status changed (APPROVED, REJECTED, PAUSED, DISABLED, …).",
    example: {
      event: 'APPROVED',
      message_template_id: 1689556908129832,
      message_template_name: 'order_confirmation',
      message_template_language: 'en_US',
      reason: 'NONE',
    },
  },
  {
    kind: 'message_template_quality_update',
    description: "A message template's quality score changed.",
    example: {
      previous_quality_score: 'GREEN',
      new_quality_score: 'YELLOW',
      message_template_id: 1689556908129832,
      message_template_name: 'order_confirmation',
      message_template_language: 'en_US',
    },
  },
  {
    kind: 'phone_number_quality_update',
    description: "A business phone number's quality rating or messaging limit changed.",
    example: { display_phone_number: '15550783881', event: 'FLAGGED', current_limit: 'TIER_10K' },
  },
  {
    kind: 'account_update',
    description: 'The WhatsApp Business Account changed: verification, policy violation, restriction, …',
    example: {
      phone_number: '15550783881',
      event: 'ACCOUNT_VIOLATION',
      violation_info: { violation_type: 'SCAM' },
    },
  },
];
