import { compactVerify, decodeProtectedHeader, errors } from 'jose';
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { formFields, safeEqual, textOf } from '../crypto';
import { refuse, type InboundProvider, type NormalisedEvent, type Verdict, type ProviderKind } from '../provider';

const HEADER = 'messagebird-signature-jwt';

const Options = z
  .object({
    /**
     * The JWT algorithms accepted. MessageBird signs with HS256, the only one accepted by default; its official SDKs
     * also accept HS384 and HS512 (same key, HMAC only), which a source may opt into.
     */
    algorithms: z
      .array(z.enum(['HS256', 'HS384', 'HS512'], { error: 'may list only HS256, HS384 and HS512' }))
      .min(1, 'must list at least one algorithm')
      .default(['HS256']),
    /** Clock skew allowed on `nbf` and `exp`. MessageBird's Go, Python and Java SDKs allow 1 s (its Node SDK 5 s). */
    leewaySeconds: z
      .number({ error: 'must be a whole number of seconds, 0-60' })
      .int('must be a whole number of seconds, 0-60')
      .min(0, 'must be 0-60 s')
      .max(60, 'must be 0-60 s')
      .default(1),
  })
  .strict();
export type MessagebirdOptions = z.infer<typeof Options>;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);
const sha256Hex = (content: string | Buffer) => createHash('sha256').update(content).digest('hex');

/** A verified payload as a JSON object, or null. */
function jsonOf(payload: Uint8Array): Json | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(payload).toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : null;
  } catch {
    return null;
  }
}

/** Why jose refused a token, in words that name no key or signature. */
function joseReason(error: unknown, algorithms: readonly string[]): string {
  if (error instanceof errors.JOSEAlgNotAllowed) return `its alg is not ${algorithms.join(' or ')}`;
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'the signature does not match the signing key';
  if (error instanceof errors.JOSENotSupported) return 'it uses a critical header parameter or algorithm Hookline does not support';
  return 'it is not a JWT: three base64url parts, a JSON header';
}

const iso = (v: unknown): string | undefined => {
  const t = typeof v === 'string' && v ? Date.parse(v) : NaN;
  return Number.isFinite(t) ? new Date(t).toISOString() : undefined;
};

/**
 * MessageBird's signed HTTP requests, as documented at https://developers.messagebird.com/docs/verify-http-requests
 * and implemented by its official SDKs (messagebird-nodejs `lib/webhook-signature-jwt.js`, go-rest-api
 * `signature_jwt`, python-rest-api `request_validator.py`, java-rest-api `RequestValidator`).
 *
 * Every callback MessageBird sends (SMS status reports, forwarded inbound messages, Conversations webhooks) carries a
 * `MessageBird-Signature-JWT` header: a JWT signed with HMAC under the source's signing key (`keys.secret`, the
 * "signing key" of MessageBird's developer settings, used as its UTF-8 bytes). Verified, in order:
 * - the header is a three-part JWS whose header's `alg` is one of `algorithms` (default exactly `HS256`; `none` and
 *   every asymmetric algorithm are always refused), without `crit` extensions;
 * - the signature: HMAC of `<header>.<claims>` (as received), checked by jose (`compactVerify`, algorithms pinned);
 * - then the claims: `iss` is exactly "MessageBird"; `nbf` and `exp` are present and the arrival time lies within
 *   [nbf − leeway, exp + leeway] (`leewaySeconds`, default 1 s as MessageBird's Go/Python/Java SDKs; MessageBird's
 *   reference tokens are valid for 60 s); `iat`, when present, is not ahead of the arrival time by more than the
 *   leeway; `jti` is a non-empty string;
 * - `url_hash` is the lowercase hex SHA-256 of the full request URL as MessageBird called it (scheme, host, path and
 *   query, unchanged: behind a proxy this must be the public URL);
 * - `payload_hash` is the lowercase hex SHA-256 of the raw body when the body is not empty, and is absent when it is
 *   empty (a body added or removed in transit is refused).
 *
 * `jti` is not deduplicated here: a provider holds no state. A verified token can only be replayed unchanged, to the
 * same URL with the same body, within its ~60 s validity; such a replay of a status report or message becomes the same
 * Hookline event id (derived from the payload below), so event-id deduplication absorbs it; a replayed `callback` (no
 * id) would become a second event.
 *
 * Both methods are legitimate: MessageBird sends SMS status reports as GETs with query parameters, others as POSTs with
 * a JSON or form body. The payload (`data`) is the body (JSON object, or form fields), or, for an empty body, the URL's
 * query parameters. Kinds:
 * - `message_status`: an SMS status report (`id`, `status`, `recipient`, `statusDatetime`), id
 *   `<message id>:<recipient>:<status>` (one SMS has one id for all its recipients); or a Conversations webhook
 *   `message.updated`, or `message.created` for an outgoing message, id `<message.id>:<message.status>`;
 * - `message`: an inbound message: a forwarded SMS (`originator` and `body`/`message`), id its `id`; or a Conversations
 *   webhook `message.created` with direction `received`, id `message.id`;
 * - `callback`: anything else (e.g. `conversation.created`), without an id.
 *
 * Bird's newer platform (docs.bird.com) signs with a different scheme (`MessageBird-Signature` +
 * `MessageBird-Request-Timestamp`); this provider is the MessageBird JWT scheme only.
 */
export const messagebird: InboundProvider = {
  name: 'messagebird',
  keys: 'secret',
  parseOptions: (options) => Options.parse(options ?? {}),
  async verify(request, keys): Promise<Verdict> {
    if ((request.method as string) !== 'GET' && (request.method as string) !== 'POST')
      return refuse(405, 'method_not_allowed', 'MessageBird callbacks are GETs or POSTs');
    const o = Options.parse(keys.options);
    const token = request.headers[HEADER]?.trim();
    if (!token) return refuse(401, 'missing_signature', 'no MessageBird-Signature-JWT header');
    if (!keys.secret) return refuse(401, 'bad_signature', 'the source has no signing key');

    // jose checks the compact form, pins the algorithm, refuses unknown critical headers and compares the HMAC.
    let claims: Json | null;
    try {
      // No critical extension is part of MessageBird's scheme (jose would honour `b64`, changing what is signed).
      if (decodeProtectedHeader(token).crit !== undefined) return refuse(401, 'bad_signature', "the JWT's header has critical extensions");
      const { payload } = await compactVerify(token, new TextEncoder().encode(keys.secret), { algorithms: o.algorithms });
      claims = jsonOf(payload);
    } catch (error) {
      return refuse(401, 'bad_signature', `MessageBird-Signature-JWT does not verify (${joseReason(error, o.algorithms)})`);
    }
    if (!claims) return refuse(401, 'bad_signature', "the JWT's claims are not a JSON object");
    if (claims.iss !== 'MessageBird') return refuse(401, 'bad_signature', 'the JWT\'s iss is not "MessageBird"');
    const { nbf, exp, iat } = claims;
    if (typeof nbf !== 'number' || !Number.isFinite(nbf) || typeof exp !== 'number' || !Number.isFinite(exp))
      return refuse(401, 'bad_signature', 'the JWT has no numeric nbf and exp');
    const now = request.receivedAt.getTime() / 1000;
    if (now < nbf - o.leewaySeconds) return refuse(401, 'stale_timestamp', `the JWT is not valid before its nbf (${o.leewaySeconds} s leeway)`);
    if (now > exp + o.leewaySeconds) return refuse(401, 'stale_timestamp', `the JWT expired (exp, ${o.leewaySeconds} s leeway)`);
    if (iat !== undefined && (typeof iat !== 'number' || !Number.isFinite(iat) || iat > now + o.leewaySeconds))
      return refuse(401, 'stale_timestamp', "the JWT's iat is not a time in the past");
    if (typeof claims.jti !== 'string' || !claims.jti) return refuse(401, 'bad_signature', 'the JWT has no jti');
    if (typeof claims.url_hash !== 'string' || !safeEqual(claims.url_hash.toLowerCase(), sha256Hex(request.url)))
      return refuse(401, 'bad_signature', "the JWT's url_hash does not match the request URL (behind a proxy, the URL must be the public one)");
    const payloadHash = claims.payload_hash;
    const hasPayloadHash = payloadHash !== undefined && payloadHash !== null && payloadHash !== '';
    if (request.rawBody.length > 0) {
      if (!hasPayloadHash) return refuse(401, 'bad_signature', 'the body is not empty but the JWT has no payload_hash');
      if (typeof payloadHash !== 'string' || !safeEqual(payloadHash.toLowerCase(), sha256Hex(request.rawBody)))
        return refuse(401, 'bad_signature', "the JWT's payload_hash does not match the body");
    } else if (hasPayloadHash) return refuse(401, 'bad_signature', 'the JWT has a payload_hash but the body is empty');

    const data = payloadOf(request.url, request.rawBody, request.headers['content-type']);
    if (!data) return refuse(400, 'malformed', 'the body is neither a JSON object nor form fields');
    return { kind: 'accepted', events: [normalise(data)] };
  },
};

/** The callback's fields: the JSON or form body, or the query string when the body is empty (a GET status report). */
function payloadOf(url: string, body: Buffer, contentType: string | undefined): Json | null {
  if (body.length === 0) {
    try {
      return Object.fromEntries(new URL(url).searchParams);
    } catch {
      return {};
    }
  }
  const raw = body.toString('utf8');
  if (/json/i.test(contentType ?? '') || /^\s*[[{]/.test(raw)) {
    try {
      const value: unknown = JSON.parse(raw);
      return isObject(value) ? value : null;
    } catch {
      return null;
    }
  }
  return formFields(body);
}

function normalise(data: Json): NormalisedEvent {
  const type = textOf(data.type);
  const message = data.message;
  // A Conversations API webhook: { type: "message.created" | "message.updated" | "conversation.…", message, conversation, contact }.
  if (type?.startsWith('message.') && isObject(message)) {
    const id = textOf(message.id);
    const status = textOf(message.status);
    if (type === 'message.created' && message.direction === 'received') {
      const occurredAt = iso(message.createdDatetime);
      return { kind: 'message', ...(id ? { id } : {}), data, ...(occurredAt ? { occurredAt } : {}) };
    }
    const occurredAt = iso(message.updatedDatetime) ?? iso(message.createdDatetime);
    return { kind: 'message_status', ...(id ? { id: status ? `${id}:${status}` : id } : {}), data, ...(occurredAt ? { occurredAt } : {}) };
  }
  const id = textOf(data.id);
  // An SMS status report: id, reference, recipient, status, statusDatetime, statusReason, statusErrorCode, …
  if (!type && id && textOf(data.status) && (data.statusDatetime !== undefined || data.recipient !== undefined)) {
    const recipient = textOf(data.recipient);
    const occurredAt = iso(data.statusDatetime);
    return { kind: 'message_status', id: [id, recipient, textOf(data.status)].filter(Boolean).join(':'), data, ...(occurredAt ? { occurredAt } : {}) };
  }
  // A forwarded inbound SMS: id, originator, recipient, body (or message), createdDatetime.
  if (!type && textOf(data.originator) && (typeof data.body === 'string' || typeof data.message === 'string')) {
    const occurredAt = iso(data.createdDatetime);
    return { kind: 'message', ...(id ? { id } : {}), data, ...(occurredAt ? { occurredAt } : {}) };
  }
  return { kind: 'callback', data };
}

/**
 * The common kinds of MessageBird callbacks. SMS status reports:
 * https://docs.bird.com/connectivity-platform/getting-started/receiving-delivery-reports-dlrs and
 * https://support.messagebird.com/hc/en-us/articles/360001869258-I-am-missing-my-delivery-reports (a GET with `id`,
 * `reference`, `recipient`, `status`, `statusDatetime`); Conversations webhooks: https://developers.messagebird.com/api/conversations/#webhooks.
 */
export const messagebirdKinds: ProviderKind[] = [
  {
    kind: 'message_status',
    description:
      'A status report of a message you sent: an SMS status report (a GET with query parameters), or a Conversations message.updated webhook. Id: the message id with the recipient (SMS) and the status.',
    example: {
      id: 'efa6405d518d4c0c88cce11f7db775fb',
      reference: 'order-10428',
      recipient: '31612345678',
      status: 'delivered',
      statusReason: 'successfully delivered',
      statusDatetime: '2026-03-02T09:29:55+00:00',
      mccmnc: '20408',
      ported: '0',
      messageLength: '52',
      messagePartCount: '1',
      price: { amount: '0.0750', currency: 'EUR' },
    },
  },
  {
    kind: 'message',
    description: 'A message a customer sent you: a Conversations message.created webhook with direction "received", or an SMS forwarded to your URL.',
    example: {
      type: 'message.created',
      contact: {
        id: '9354647c5c144a2b9a5ea61a0d7d7a75',
        href: 'https://contacts.messagebird.com/v2/contacts/9354647c5c144a2b9a5ea61a0d7d7a75',
        msisdn: 31612345678,
        displayName: '31612345678',
      },
      conversation: {
        id: '2e15efafec384e1c82e9842075e87beb',
        contactId: '9354647c5c144a2b9a5ea61a0d7d7a75',
        status: 'active',
        createdDatetime: '2026-03-02T09:20:00Z',
        updatedDatetime: '2026-03-02T09:30:00Z',
      },
      message: {
        id: '5f3437fdb8444583aea093a047ac014b',
        conversationId: '2e15efafec384e1c82e9842075e87beb',
        platform: 'whatsapp',
        to: '+31201234567',
        from: '+31612345678',
        channelId: '619747f69cf940a98fb443140ce9aed2',
        type: 'text',
        content: { text: 'Is my order on its way?' },
        direction: 'received',
        status: 'received',
        createdDatetime: '2026-03-02T09:30:00Z',
        updatedDatetime: '2026-03-02T09:30:00Z',
      },
    },
  },
  {
    kind: 'callback',
    description: 'Any other MessageBird callback (e.g. a Conversations conversation.created or conversation.updated webhook); no id.',
    example: {
      type: 'conversation.created',
      contact: { id: '9354647c5c144a2b9a5ea61a0d7d7a75', msisdn: 31612345678 },
      conversation: {
        id: '2e15efafec384e1c82e9842075e87beb',
        contactId: '9354647c5c144a2b9a5ea61a0d7d7a75',
        status: 'active',
        createdDatetime: '2026-03-02T09:20:00Z',
      },
    },
  },
];
