import { createHmac } from 'node:crypto';
import { z } from 'zod';
import { fieldsObject, safeEqual, textOf } from '../crypto';
import { refuse, type InboundProvider, type NormalisedEvent, type Verdict, type ProviderKind } from '../provider';

const Options = z
  .object({
    /** Plivo calls back with POST unless a callback's method is set to GET; accept GET callbacks only when this is on. */
    allowGet: z.boolean({ error: 'allowGet must be true or false' }).default(false),
  })
  .strict();

/**
 * Plivo (SMS delivery reports, inbound SMS, voice callbacks), signature V3, as
 * documented at https://docs.plivo.com/docs/voice/xml/request/validation (and
 * https://docs.plivo.com/docs/messaging/concepts/signature-validation), which
 * leave the exact construction to Plivo's SDKs; this follows the reference
 * one, plivo-python's `validate_v3_signature`
 * (https://github.com/plivo/plivo-python/blob/master/plivo/utils/signature_v3.py),
 * which plivo-go and plivo-ruby agree with for POST callbacks:
 *
 * `X-Plivo-Signature-V3` (and `X-Plivo-Signature-Ma-V3`, made with the main
 * account's auth token) holds one or more comma-separated signatures (one per
 * active auth token); one must equal the base64 HMAC-SHA256, under the auth
 * token (the source's secret), of
 *
 *     <scheme>://<host[:port]><path>  +  <query and POST part>  +  "."  +  <X-Plivo-Signature-V3-Nonce>
 *
 * where, with the URL's query parameters sorted by name (a repeated name: its
 * values sorted) as `name=value` joined by `&` (Q), and the form-encoded POST
 * parameters sorted by name as `namevalue` with no separators (P):
 * a POST with parameters gives `?` + (Q + `.` when Q is not empty) + P;
 * a POST without parameters, or a GET (`allowGet`), gives `?` + Q, or
 * nothing when Q is empty. The query values are taken decoded (as
 * plivo-python does) and, failing that, as they appear in the URL (as
 * plivo-go does); both are the URL the request was sent to.
 *
 * The nonce is part of what is signed, so a signature is bound to its nonce;
 * Plivo signs no timestamp, so a replay is caught by the event id alone
 * (`<MessageUUID>:<Status>`, `<MessageUUID>`, `<CallUUID>:<CallStatus>`).
 * JSON-bodied callbacks are not signed this way and are refused.
 */
export const plivo: InboundProvider = {
  name: 'plivo',
  keys: 'secret',
  parseOptions: (options) => Options.parse(options ?? {}),
  async verify(request, keys): Promise<Verdict> {
    const { allowGet } = Options.parse(keys.options);
    if (request.method !== 'POST' && !(request.method === 'GET' && allowGet))
      return refuse(405, 'method_not_allowed', allowGet ? 'Plivo callbacks are POSTs or GETs' : 'Plivo callbacks are POSTs (allowGet is off)');
    if (!keys.secret) return refuse(401, 'bad_signature', 'the source has no auth token to check X-Plivo-Signature-V3 with');
    const given = [request.headers['x-plivo-signature-v3'], request.headers['x-plivo-signature-ma-v3']]
      .flatMap((header) => (header ?? '').split(','))
      .map((signature) => signature.trim())
      .filter(Boolean);
    if (given.length === 0) return refuse(401, 'missing_signature', 'no X-Plivo-Signature-V3 header');
    const nonce = request.headers['x-plivo-signature-v3-nonce'];
    if (!nonce) return refuse(401, 'missing_signature', 'no X-Plivo-Signature-V3-Nonce header');

    const url = splitUrl(request.url);
    if (!url) return refuse(401, 'bad_signature', 'the request URL cannot be parsed, so its signature cannot be checked');
    const post = request.method === 'POST' ? [...new URLSearchParams(request.rawBody.toString('utf8'))] : [];

    let matches = false;
    for (const content of signedContents(url, post, nonce)) {
      const expected = createHmac('sha256', keys.secret).update(content, 'utf8').digest('base64');
      for (const signature of given) if (safeEqual(signature, expected)) matches = true;
    }
    if (!matches) return refuse(401, 'bad_signature', 'no X-Plivo-Signature-V3 signature matches the URL, parameters and nonce');

    const data = fieldsObject(request.method === 'POST' ? post : [...new URLSearchParams(url.query)]);
    return { kind: 'accepted', events: [normalise(data)] };
  },
};

interface SplitUrl {
  /** `<scheme>://<netloc><path>`, the path as sent (not decoded), without query or fragment. */
  base: string;
  query: string;
}

function splitUrl(url: string): SplitUrl | null {
  const parts = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)([^?#]*)(?:\?([^#]*))?/.exec(url);
  if (!parts) return null;
  const [, scheme, netloc, path, query = ''] = parts;
  return { base: `${scheme.toLowerCase()}://${netloc}${path}`, query };
}

/** The query's pairs as they appear in the URL, split at the first `=`, nothing decoded. */
function rawPairs(query: string): [string, string][] {
  return query
    .split('&')
    .filter(Boolean)
    .map((pair) => {
      const at = pair.indexOf('=');
      return at < 0 ? [pair, ''] : [pair.slice(0, at), pair.slice(at + 1)];
    });
}

/** Code-point order (UTF-8 byte order is the same), the order plivo-python sorts names and values in. */
const byCodePoint = (a: string, b: string) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

/** Names sorted, each name's values sorted, each pair as `join(name, value)`. */
function sorted(pairs: [string, string][], join: (name: string, value: string) => string): string[] {
  const byName = new Map<string, string[]>();
  for (const [name, value] of pairs) byName.set(name, [...(byName.get(name) ?? []), value]);
  return [...byName.keys()].sort(byCodePoint).flatMap((name) => [...(byName.get(name) ?? [])].sort(byCodePoint).map((value) => join(name, value)));
}

/** What the signature may cover: the query decoded, and as it appears in the URL (one string when they agree). */
function signedContents(url: SplitUrl, post: [string, string][], nonce: string): Set<string> {
  const contents = new Set<string>();
  for (const queryPairs of [[...new URLSearchParams(url.query)], rawPairs(url.query)]) {
    const query = sorted(queryPairs, (name, value) => `${name}=${value}`).join('&');
    const params = sorted(post, (name, value) => name + value).join('');
    const signedUrl = post.length > 0 ? `${url.base}?${query ? `${query}.` : ''}${params}` : `${url.base}${query ? `?${query}` : ''}`;
    contents.add(`${signedUrl}.${nonce}`);
  }
  return contents;
}

const text = (data: Record<string, unknown>, name: string): string | undefined => (typeof data[name] === 'string' ? textOf(data[name]) : undefined);

function normalise(data: Record<string, unknown>): NormalisedEvent {
  const messageUuid = text(data, 'MessageUUID');
  const status = text(data, 'Status');
  const callUuid = text(data, 'CallUUID');
  const callStatus = text(data, 'CallStatus');
  if (messageUuid && status) return { kind: 'message_status', id: `${messageUuid}:${status}`, data };
  if (messageUuid) return { kind: 'message', id: messageUuid, data };
  if (callStatus) return { kind: 'call_status', ...(callUuid ? { id: `${callUuid}:${callStatus}` } : {}), data };
  return { kind: 'callback', data };
}

/** The common kinds of Plivo callbacks, with what each one's `data` looks like. */
export const plivoKinds: ProviderKind[] = [
  {
    kind: 'message_status',
    description: 'A delivery report for an outbound SMS or MMS (queued, sent, delivered, undelivered, failed, rejected). Id: `<MessageUUID>:<Status>`.',
    example: {
      MessageUUID: '2f4a6c8e-1b3d-11ef-9a7c-0242ac110002',
      ParentMessageUUID: '2f4a6c8e-1b3d-11ef-9a7c-0242ac110002',
      PartInfo: '1 of 1',
      Status: 'delivered',
      From: '14155550100',
      To: '14155550123',
      ErrorCode: '',
      MCC: '310',
      MNC: '410',
      Sequence: '2',
      TotalAmount: '0.00500',
      TotalRate: '0.00500',
      Units: '1',
    },
  },
  {
    kind: 'message',
    description: 'An inbound SMS to one of the account’s Plivo numbers. Id: `<MessageUUID>`.',
    example: {
      MessageUUID: '7a9c1e3f-1b3d-11ef-8f2b-0242ac110003',
      From: '14155550123',
      To: '14155550100',
      Type: 'sms',
      Text: 'STOP',
      MessageIntent: 'optout',
      TotalAmount: '0',
      TotalRate: '0',
      Units: '1',
    },
  },
  {
    kind: 'call_status',
    description:
      'A voice callback carrying the call’s status (the answer, hangup or callback URL: ringing, in-progress, completed, busy, failed, timeout, no-answer). Id: `<CallUUID>:<CallStatus>`.',
    example: {
      CallUUID: '4c1e7a9b-1b3d-11ef-b5d1-0242ac110004',
      CallStatus: 'completed',
      Direction: 'outbound',
      From: '14155550100',
      To: '14155550123',
      Duration: '42',
      BillDuration: '60',
      HangupCause: 'NORMAL_CLEARING',
      HangupSource: 'Callee',
      StartTime: '2024-05-14 10:21:03',
      AnswerTime: '2024-05-14 10:21:09',
      EndTime: '2024-05-14 10:21:51',
      Event: 'Hangup',
    },
  },
  {
    kind: 'callback',
    description: 'Any other Plivo callback (a recording, a transcription, …), its fields as sent. No id.',
    example: {
      CallUUID: '4c1e7a9b-1b3d-11ef-b5d1-0242ac110004',
      RecordingID: 'f1b3d5e7-1b3d-11ef-a3c5-0242ac110005',
      RecordUrl: 'https://media.plivo.com/v1/Account/MAXXXXXXXXXXXXXXXXXX/Recording/f1b3d5e7-1b3d-11ef-a3c5-0242ac110005.mp3',
      RecordingDuration: '37',
      RecordingDurationMs: '37120',
      RecordingStartMs: '1715682069000',
      RecordingEndMs: '1715682106120',
    },
  },
];
