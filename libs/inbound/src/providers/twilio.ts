import { createHash, createHmac } from 'node:crypto';
import { z } from 'zod';
import { fieldsObject, jsonObject, safeEqual, textOf } from '../crypto';
import { refuse, type InboundProvider, type NormalisedEvent, type Verdict, type ProviderKind } from '../provider';

const Options = z
  .object({
    /** Twilio calls back with POST unless a callback's method is set to GET; accept GET callbacks only when this is on. */
    allowGet: z.boolean({ error: 'allowGet must be true or false' }).default(false),
  })
  .strict();

/** The empty TwiML document Twilio expects in answer (it does nothing: no reply message, no call instruction). */
const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';

/**
 * Twilio (SMS, WhatsApp and voice callbacks), as documented at
 * https://www.twilio.com/docs/usage/webhooks/webhooks-security and
 * https://www.twilio.com/docs/usage/security#validating-requests:
 *
 * `X-Twilio-Signature` is the base64 HMAC-SHA1, under the account's auth
 * token (the source's secret), of the full URL Twilio called (scheme, host,
 * path and query, as it called it) followed, for a form-encoded POST
 * (`application/x-www-form-urlencoded`), by every POST parameter's name and
 * value, sorted by name, with no separators (a name sent more than once: its
 * distinct values sorted, each appended after the name, as Twilio's SDKs do).
 * The form is read from the raw body only to rebuild that string.
 *
 * A JSON-body callback carries `bodySHA256` (hex SHA-256 of the raw body) in
 * its URL: the signature then covers the URL alone, and the raw body's
 * SHA-256 must equal `bodySHA256`. A GET callback (only with `allowGet`)
 * is signed over its URL alone.
 *
 * Twilio's SDKs accept a signature made over the URL with or without its
 * port (Twilio's signing is inconsistent about `:443`), so the URL as called,
 * without its port, with the scheme's default port, and the same three after
 * WHATWG URL normalisation are each tried (all of them are the URL the request
 * was sent to; nothing else is). Where a Webhook Rule signs with a SharedKey
 * (https://www.twilio.com/docs/usage/webhooks/webhook-shared-keys),
 * `X-Twilio-Webhooks-Signature-Settings: key=…,algorithm=HMAC_SHA256` switches
 * the hash to SHA-256 (the source's secret must then be that SharedKey's).
 *
 * Twilio signs no timestamp: a replay is caught by the event id alone
 * (`<MessageSid>:<MessageStatus>`, `<MessageSid>`, `<CallSid>:<CallStatus>`).
 * The answer is 200 with an empty TwiML `<Response/>`.
 */
export const twilio: InboundProvider = {
  name: 'twilio',
  keys: 'secret',
  parseOptions: (options) => Options.parse(options ?? {}),
  async verify(request, keys): Promise<Verdict> {
    const { allowGet } = Options.parse(keys.options);
    if (request.method !== 'POST' && !(request.method === 'GET' && allowGet))
      return refuse(405, 'method_not_allowed', allowGet ? 'Twilio callbacks are POSTs or GETs' : 'Twilio callbacks are POSTs (allowGet is off)');
    if (!keys.secret) return refuse(401, 'bad_signature', 'the source has no auth token to check X-Twilio-Signature with');
    const given = request.headers['x-twilio-signature']?.trim();
    if (!given) return refuse(401, 'missing_signature', 'no X-Twilio-Signature header');

    const algorithm = signatureAlgorithm(request.headers['x-twilio-webhooks-signature-settings']);
    if (!algorithm) return refuse(401, 'bad_signature', 'X-Twilio-Webhooks-Signature-Settings names an algorithm other than HMAC_SHA1 or HMAC_SHA256');

    let query: URLSearchParams;
    try {
      query = new URL(request.url).searchParams;
    } catch {
      return refuse(401, 'bad_signature', 'the request URL cannot be parsed, so its signature cannot be checked');
    }
    const bodyHash = request.method === 'POST' ? query.get('bodySHA256') : null;
    const form = request.method === 'POST' && bodyHash === null ? formPairs(request.rawBody) : [];
    const params = signedParams(form);

    let matches = false;
    for (const url of urlVariants(request.url)) {
      const expected = createHmac(algorithm, keys.secret)
        .update(url + params, 'utf8')
        .digest('base64');
      if (safeEqual(given, expected)) matches = true;
    }
    if (!matches) return refuse(401, 'bad_signature', 'X-Twilio-Signature does not match the URL and parameters');

    let data: Record<string, unknown>;
    if (bodyHash !== null) {
      const actual = createHash('sha256').update(request.rawBody).digest('hex');
      if (!safeEqual(bodyHash.toLowerCase(), actual)) return refuse(401, 'bad_signature', "the body's SHA-256 does not match the signed bodySHA256");
      const json = jsonObject(request.rawBody);
      if (!json) return refuse(400, 'malformed', 'the body (signed through bodySHA256) is not a JSON object');
      data = json;
    } else {
      data = fieldsObject(request.method === 'POST' ? form : [...query]);
    }
    return {
      kind: 'accepted',
      events: [normalise(data)],
      answer: { status: 200, contentType: 'text/xml', body: EMPTY_TWIML },
    };
  },
};

/** The HMAC's hash: SHA-1 unless a Webhook Setting's header says HMAC_SHA256; null for a header naming anything else. */
function signatureAlgorithm(settings: string | undefined): 'sha1' | 'sha256' | null {
  if (settings === undefined) return 'sha1';
  const named = /(?:^|[,;\s])algorithm=([A-Za-z0-9_-]+)/.exec(settings)?.[1]?.toUpperCase();
  if (named === 'HMAC_SHA256') return 'sha256';
  if (named === 'HMAC_SHA1' || named === undefined) return 'sha1';
  return null;
}

/** The form-encoded body's parameters in the order sent, repeated names kept. */
function formPairs(raw: Buffer): [string, string][] {
  return [...new URLSearchParams(raw.toString('utf8'))];
}

/** Code-point order (UTF-8 byte order is the same), the order Twilio's SDKs sort ASCII names in. */
const byCodePoint = (a: string, b: string) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

/** The parameters' part of the signed string: names sorted, each name followed by its value (a repeated name: each distinct value, sorted). */
function signedParams(pairs: [string, string][]): string {
  const byName = new Map<string, Set<string>>();
  for (const [name, value] of pairs) {
    const values = byName.get(name) ?? new Set<string>();
    values.add(value);
    byName.set(name, values);
  }
  return [...byName.keys()]
    .sort(byCodePoint)
    .map((name) =>
      [...(byName.get(name) ?? [])]
        .sort(byCodePoint)
        .map((value) => name + value)
        .join(''),
    )
    .join('');
}

/** The URL as called, without its port and with its scheme's default port, as is and WHATWG-normalised (deduplicated). */
function urlVariants(url: string): string[] {
  const forms = [url];
  try {
    forms.push(new URL(url).href);
  } catch {
    // Only the URL as called.
  }
  const variants = new Set<string>();
  for (const form of forms) {
    variants.add(form);
    const parts = /^(https?):\/\/([^/?#]*)(.*)$/is.exec(form);
    if (!parts) continue;
    const [, scheme, authority, rest] = parts;
    const port = /:\d*$/.exec(authority);
    if (port) variants.add(`${scheme}://${authority.slice(0, port.index)}${rest}`);
    else variants.add(`${scheme}://${authority}:${scheme.toLowerCase() === 'https' ? 443 : 80}${rest}`);
  }
  return [...variants];
}

const text = (data: Record<string, unknown>, name: string): string | undefined => (typeof data[name] === 'string' ? textOf(data[name]) : undefined);

function normalise(data: Record<string, unknown>): NormalisedEvent {
  const messageSid = text(data, 'MessageSid') ?? text(data, 'SmsMessageSid') ?? text(data, 'SmsSid');
  const messageStatus = text(data, 'MessageStatus');
  const callSid = text(data, 'CallSid');
  const callStatus = text(data, 'CallStatus');
  const stamp = text(data, 'Timestamp');
  const when = stamp === undefined ? NaN : Date.parse(stamp);
  const occurredAt = Number.isNaN(when) ? {} : { occurredAt: new Date(when).toISOString() };
  if (messageStatus) return { kind: 'message_status', ...(messageSid ? { id: `${messageSid}:${messageStatus}` } : {}), data, ...occurredAt };
  if (messageSid && typeof data.Body === 'string') return { kind: 'message', id: messageSid, data, ...occurredAt };
  if (callStatus) return { kind: 'call_status', ...(callSid ? { id: `${callSid}:${callStatus}` } : {}), data, ...occurredAt };
  return { kind: 'callback', data, ...occurredAt };
}

const ACCOUNT = 'AC3f8a9e1c2b7d4e5f6a7b8c9d0e1f2a3b';

/** The common kinds of Twilio callbacks, with what each one's `data` looks like. */
export const twilioKinds: ProviderKind[] = [
  {
    kind: 'message_status',
    description:
      'An outbound SMS, MMS or WhatsApp message changed status (queued, sent, delivered, undelivered, failed, read). Id: `<MessageSid>:<MessageStatus>`.',
    example: {
      AccountSid: ACCOUNT,
      ApiVersion: '2010-04-01',
      From: '+15017122661',
      To: '+15558675310',
      MessageSid: 'SM1f0e8ae6ade43cb3c0ce4525424e404f',
      SmsSid: 'SM1f0e8ae6ade43cb3c0ce4525424e404f',
      MessageStatus: 'delivered',
      SmsStatus: 'delivered',
      MessagingServiceSid: 'MG9752274e9e519418a7406176694466fa',
    },
  },
  {
    kind: 'message',
    description: 'An inbound SMS, MMS or WhatsApp message to one of the account’s numbers. Id: `<MessageSid>`.',
    example: {
      AccountSid: ACCOUNT,
      ApiVersion: '2010-04-01',
      MessageSid: 'SM7c4b7e1a5d9c6e2f3a8b0c1d2e3f4a5b',
      SmsMessageSid: 'SM7c4b7e1a5d9c6e2f3a8b0c1d2e3f4a5b',
      SmsSid: 'SM7c4b7e1a5d9c6e2f3a8b0c1d2e3f4a5b',
      SmsStatus: 'received',
      From: '+14155550123',
      FromCity: 'SAN FRANCISCO',
      FromState: 'CA',
      FromCountry: 'US',
      To: '+15017122661',
      ToCountry: 'US',
      Body: 'Is my order on its way?',
      NumMedia: '0',
      NumSegments: '1',
    },
  },
  {
    kind: 'call_status',
    description:
      'A voice call’s status callback (initiated, ringing, answered, completed, busy, no-answer, failed, canceled) or a voice webhook carrying the call’s status. Id: `<CallSid>:<CallStatus>`.',
    example: {
      AccountSid: ACCOUNT,
      ApiVersion: '2010-04-01',
      CallSid: 'CA5a2c8e3f1b9d4e6a7c0b2d4f6a8c0e2a',
      CallStatus: 'completed',
      CallDuration: '42',
      Direction: 'outbound-api',
      From: '+15017122661',
      To: '+15558675310',
      Called: '+15558675310',
      Caller: '+15017122661',
      CallbackSource: 'call-progress-events',
      SequenceNumber: '3',
      Timestamp: 'Tue, 09 Jan 2024 18:40:22 +0000',
    },
  },
  {
    kind: 'callback',
    description: 'Any other Twilio callback (a recording or transcription status, a conference event, …), its fields as sent. No id.',
    example: {
      AccountSid: ACCOUNT,
      CallSid: 'CA5a2c8e3f1b9d4e6a7c0b2d4f6a8c0e2a',
      RecordingSid: 'RE8d3a1c9b7e5f4a2c0e8d6b4a2c0e8d6b',
      RecordingUrl: 'https://api.twilio.com/2010-04-01/Accounts/AC3f8a9e1c2b7d4e5f6a7b8c9d0e1f2a3b/Recordings/RE8d3a1c9b7e5f4a2c0e8d6b4a2c0e8d6b',
      RecordingStatus: 'completed',
      RecordingDuration: '37',
      RecordingChannels: '1',
      RecordingSource: 'RecordVerb',
    },
  },
];
