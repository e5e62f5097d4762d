import { compactVerify, decodeProtectedHeader, errors, type ProtectedHeaderParameters } from 'jose';
import { createHash, createHmac } from 'node:crypto';
import { z } from 'zod';
import { formFields, jsonObject, safeEqual, withinTolerance } from '../crypto';
import { refuse, type InboundProvider, type InboundRequest, type NormalisedEvent, type Verdict, type ProviderKind } from '../provider';

const Options = z
  .object({
    /** How far `iat` (or a legacy SMS callback's `timestamp`) may be from when the callback arrived. Vonage documents none; 5 minutes, as for most signed webhooks. */
    toleranceSeconds: z.number().int().min(1, 'toleranceSeconds must be 1-3600 s').max(3600, 'toleranceSeconds must be 1-3600 s').default(300),
    /** When set, the token's `api_key` claim (a legacy SMS callback's `api-key`) must be this key (the account whose signature secret the source holds). */
    apiKey: z.string().min(1, 'apiKey must not be empty').max(64, 'apiKey must be at most 64 characters').optional(),
    /** When set, the token's `application_id` claim must be this application's id. */
    applicationId: z.string().min(1, 'applicationId must not be empty').max(64, 'applicationId must be at most 64 characters').optional(),
    /**
     * Also accept the legacy SMS API's signed callbacks (`sig` parameter), made with this method as chosen in the Vonage
     * dashboard: `md5hash` (MD5 of the parameters and the secret) or the HMAC `md5`, `sha1`, `sha256`, `sha512`.
     */
    smsSignatureMethod: z
      .enum(['md5hash', 'md5', 'sha1', 'sha256', 'sha512'], { error: 'smsSignatureMethod must be md5hash, md5, sha1, sha256 or sha512' })
      .optional(),
  })
  .strict();
type Options = z.infer<typeof Options>;

/**
 * Vonage (Nexmo) signed webhooks.
 *
 * Messages API (and Dispatch), as documented at
 * https://developer.vonage.com/en/messages/concepts/signed-webhooks and
 * https://developer.vonage.com/en/getting-started/concepts/webhooks#decoding-signed-webhooks:
 * `Authorization: Bearer <JWT>` on a POST, the JWT signed HS256 with the
 * account's signature secret (the source's secret). The token is checked by
 * jose (`compactVerify`): a compact JWS whose `alg` is exactly `HS256`
 * (anything else, `none` included, is refused), and whose HMAC-SHA256 of
 * `<header>.<payload>` under the secret matches; a header with `crit` is
 * refused before that.
 * Then the claims: `iat` must lie within `toleranceSeconds` (default 300) of
 * when the callback arrived, `exp` (if any) must not have passed, `nbf` (if
 * any) must not lie further ahead than the tolerance, and `payload_hash` must
 * be the hex SHA-256 of the raw body (required here, though Vonage calls it
 * optional over HTTPS: it is what binds the token to this body). With the
 * `apiKey` / `applicationId` options, the `api_key` / `application_id`
 * claims must match. Only then is the body parsed (a JSON object). The event
 * id is `message_uuid` for an inbound message and `<message_uuid>:<status>`
 * for a status; the token's `jti` is not used (Vonage signs each delivery
 * attempt anew).
 *
 * Legacy SMS API, only with `smsSignatureMethod`, as documented at
 * https://developer.vonage.com/en/getting-started/concepts/signing-messages:
 * a callback without a bearer token (GET query, form or JSON POST) whose
 * parameters carry `sig`. The parameters other than `sig`, sorted by name,
 * each as `&name=value` with `&` and `=` in the value replaced by `_`, are
 * hashed: `md5hash` is the hex MD5 of that string followed by the secret, the
 * others the hex HMAC of it under the secret; `sig` must equal it (hex, any
 * case, constant time). Its `timestamp` (Unix seconds) must lie within
 * `toleranceSeconds`. (On a GET, any query parameters of the configured
 * callback URL itself are signed parameters too.) Ids: `messageId` for an
 * inbound SMS, `<messageId>:<status>` for a delivery receipt.
 */
export const vonage: InboundProvider = {
  name: 'vonage',
  keys: 'secret',
  parseOptions: (options) => Options.parse(options ?? {}),
  async verify(request, keys): Promise<Verdict> {
    const o = Options.parse(keys.options);
    const authorization = request.headers['authorization'];
    const legacySms = o.smsSignatureMethod !== undefined && !authorization;
    if (request.method !== 'POST' && !legacySms) return refuse(405, 'method_not_allowed', 'Vonage Messages API callbacks are POSTs');
    if (!keys.secret) return refuse(401, 'bad_signature', 'the source has no signature secret to check the callback with');
    return legacySms && o.smsSignatureMethod ? verifySms(request, keys.secret, o, o.smsSignatureMethod) : verifyMessages(request, keys.secret, o);
  },
};

async function verifyMessages(request: InboundRequest, secret: string, o: Options): Promise<Verdict> {
  const token = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(request.headers['authorization'] ?? '')?.[1];
  if (!token) return refuse(401, 'missing_signature', 'no Authorization: Bearer token');

  const checked = await verifyVonageJwt(token, secret);
  if (!checked.ok) return refuse(401, 'bad_signature', checked.detail);
  const { claims } = checked;

  const now = request.receivedAt.getTime() / 1000;
  if (typeof claims.iat !== 'number') return refuse(401, 'bad_signature', 'the token has no numeric iat claim');
  if (!withinTolerance(claims.iat, request.receivedAt, o.toleranceSeconds))
    return refuse(401, 'stale_timestamp', `the token's iat is more than ${o.toleranceSeconds} s from now`);
  if (claims.exp !== undefined && (typeof claims.exp !== 'number' || now >= claims.exp)) return refuse(401, 'stale_timestamp', 'the token has expired (exp)');
  if (claims.nbf !== undefined && (typeof claims.nbf !== 'number' || claims.nbf > now + o.toleranceSeconds))
    return refuse(401, 'stale_timestamp', 'the token is not valid yet (nbf)');

  if (typeof claims.payload_hash !== 'string') return refuse(401, 'bad_signature', 'the token has no payload_hash claim');
  const bodyHash = createHash('sha256').update(request.rawBody).digest('hex');
  if (!safeEqual(claims.payload_hash.toLowerCase(), bodyHash))
    return refuse(401, 'bad_signature', "the body's SHA-256 does not match the token's payload_hash");
  if (o.apiKey !== undefined && claims.api_key !== o.apiKey) return refuse(401, 'bad_signature', "the token's api_key is not the source's apiKey");
  if (o.applicationId !== undefined && claims.application_id !== o.applicationId)
    return refuse(401, 'bad_signature', "the token's application_id is not the source's applicationId");

  const data = jsonObject(request.rawBody);
  if (!data) return refuse(400, 'malformed', 'the body is not a JSON object');
  return { kind: 'accepted', events: [normalise(data)] };
}

/** A legacy SMS callback's parameters (query of a GET, JSON or form body of a POST), or null when they are not flat name/value pairs. */
function smsParameters(request: InboundRequest): { data: Record<string, unknown>; params: Record<string, string> } | null {
  let data: Record<string, unknown>;
  if (request.method === 'GET') {
    try {
      data = Object.fromEntries(new URL(request.url).searchParams);
    } catch {
      return null;
    }
  } else if (/json/i.test(request.headers['content-type'] ?? '')) {
    const json = jsonObject(request.rawBody);
    if (!json) return null;
    data = json;
  } else {
    data = formFields(request.rawBody);
  }
  const params: Record<string, string> = {};
  for (const [name, value] of Object.entries(data)) {
    if (typeof value === 'string') params[name] = value;
    else if (typeof value === 'number' || typeof value === 'boolean') params[name] = String(value);
    else return null;
  }
  return { data, params };
}

function verifySms(request: InboundRequest, secret: string, o: Options, method: NonNullable<Options['smsSignatureMethod']>): Verdict {
  const parsed = smsParameters(request);
  if (!parsed || !parsed.params.sig) return refuse(401, 'missing_signature', 'no Authorization: Bearer token and no sig parameter');
  const { data, params } = parsed;
  let signed = '';
  for (const name of Object.keys(params)
    .filter((n) => n !== 'sig')
    .sort())
    signed += `&${name}=${params[name].replace(/[&=]/g, '_')}`;
  const digest = method === 'md5hash' ? createHash('md5').update(signed + secret, 'utf8') : createHmac(method, secret).update(signed, 'utf8');
  const expected = digest.digest('hex');
  if (!safeEqual(params.sig.toUpperCase(), expected.toUpperCase())) return refuse(401, 'bad_signature', 'sig does not match the parameters');

  const timestamp = params.timestamp;
  if (!timestamp || !/^[0-9]{1,12}$/.test(timestamp)) return refuse(401, 'missing_signature', 'no Unix-seconds timestamp parameter');
  if (!withinTolerance(Number(timestamp), request.receivedAt, o.toleranceSeconds))
    return refuse(401, 'stale_timestamp', `timestamp is more than ${o.toleranceSeconds} s from now`);
  if (o.apiKey !== undefined && params['api-key'] !== undefined && params['api-key'] !== o.apiKey)
    return refuse(401, 'bad_signature', "the callback's api-key is not the source's apiKey");

  const { sig: _sig, ...payload } = data;
  return { kind: 'accepted', events: [normaliseSms(payload)] };
}

/** The outcome of checking an HS256 JWT's form and signature (not its claims' meaning). */
export type VonageJwtCheck = { ok: true; header: Record<string, unknown>; claims: Record<string, unknown> } | { ok: false; detail: string };

function decodeJsonObject(part: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/**
 * Checks a compact JWT signed HS256 under `secret`: three base64url parts, a
 * JSON header with `alg` exactly `HS256` and no `crit`, a signature equal
 * (constant time) to HMAC-SHA256(`<header>.<payload>`) in base64url, and a
 * JSON-object payload. Details never carry the secret or the expected value.
 */
export async function verifyVonageJwt(token: string, secret: string): Promise<VonageJwtCheck> {
  let header: ProtectedHeaderParameters;
  try {
    header = decodeProtectedHeader(token);
  } catch {
    return { ok: false, detail: 'the bearer token is not a compact JWT' };
  }
  // No critical extension is part of Vonage's scheme (jose would honour `b64`, changing what is signed).
  if (header.crit !== undefined) return { ok: false, detail: 'the token has critical header parameters' };
  try {
    // jose pins the algorithm and compares the HMAC.
    const { payload } = await compactVerify(token, new TextEncoder().encode(secret), { algorithms: ['HS256'] });
    const claims = decodeJsonObject(Buffer.from(payload).toString('base64url'));
    if (!claims) return { ok: false, detail: "the token's claims are not a JSON object" };
    return { ok: true, header: header as Record<string, unknown>, claims };
  } catch (error) {
    if (error instanceof errors.JOSEAlgNotAllowed) return { ok: false, detail: "the token's alg is not HS256" };
    if (error instanceof errors.JWSSignatureVerificationFailed) return { ok: false, detail: "the token's signature does not match" };
    return { ok: false, detail: 'the bearer token is not a compact JWT' };
  }
}

function normalise(data: Record<string, unknown>): NormalisedEvent {
  const uuid = typeof data.message_uuid === 'string' && data.message_uuid !== '' ? data.message_uuid : undefined;
  const status = typeof data.status === 'string' && data.status !== '' ? data.status : undefined;
  const when = typeof data.timestamp === 'string' ? Date.parse(data.timestamp) : NaN;
  const occurredAt = Number.isNaN(when) ? {} : { occurredAt: new Date(when).toISOString() };
  if (status) return { kind: 'message_status', ...(uuid ? { id: `${uuid}:${status}` } : {}), data, ...occurredAt };
  if (uuid) return { kind: 'message', id: uuid, data, ...occurredAt };
  return { kind: 'callback', data, ...occurredAt };
}

/** A legacy SMS callback: a delivery receipt has `status`, an inbound SMS `messageId` alone. */
function normaliseSms(data: Record<string, unknown>): NormalisedEvent {
  const id = typeof data.messageId === 'string' && data.messageId !== '' ? data.messageId : undefined;
  const status = typeof data.status === 'string' && data.status !== '' ? data.status : undefined;
  const stamp = typeof data['message-timestamp'] === 'string' ? /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})$/.exec(data['message-timestamp']) : null;
  const when = stamp ? Date.parse(`${stamp[1]}T${stamp[2]}Z`) : NaN;
  const occurredAt = Number.isNaN(when) ? {} : { occurredAt: new Date(when).toISOString() };
  if (status) return { kind: 'message_status', ...(id ? { id: `${id}:${status}` } : {}), data, ...occurredAt };
  if (id) return { kind: 'message', id, data, ...occurredAt };
  return { kind: 'callback', data, ...occurredAt };
}

/** The common kinds of Vonage Messages API callbacks, with what each one's `data` looks like. */
export const vonageKinds: ProviderKind[] = [
  {
    kind: 'message',
    description:
      'An inbound message (SMS, MMS, WhatsApp, Messenger, Viber, RCS) to the application. Id: `<message_uuid>` (a legacy SMS API inbound SMS: `<messageId>`).',
    example: {
      channel: 'whatsapp',
      message_uuid: 'aaaaaaaa-bbbb-4ccc-8ddd-0123456789ab',
      to: '447700900000',
      from: '447700900001',
      timestamp: '2025-02-03T12:14:25Z',
      message_type: 'text',
      text: 'Can I change my delivery slot?',
      profile: { name: 'Jane Smith' },
      context_status: 'none',
    },
  },
  {
    kind: 'message_status',
    description:
      'A status of an outbound message (submitted, delivered, read, rejected, undeliverable). Id: `<message_uuid>:<status>` (a legacy SMS API delivery receipt: `<messageId>:<status>`).',
    example: {
      message_uuid: 'bbbbbbbb-cccc-4ddd-8eee-0123456789ab',
      to: '447700900001',
      from: '447700900000',
      timestamp: '2025-02-03T12:15:02Z',
      status: 'delivered',
      channel: 'sms',
      client_ref: 'order-1042',
      usage: { currency: 'EUR', price: '0.0333' },
      sms: { count_total: '1' },
      destination: { network_code: '23410' },
    },
  },
  {
    kind: 'callback',
    description: 'Any other signed Messages API callback, its JSON as sent. No id.',
    example: {
      channel: 'whatsapp',
      to: '447700900000',
      from: '447700900001',
      timestamp: '2025-02-03T12:20:00Z',
      whatsapp: { type: 'account_update' },
    },
  },
];
