import { createPublicKey, verify as verifySignature, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { kindOf, withinTolerance } from '../crypto';
import { refuse, type InboundProvider, type NormalisedEvent, type Verdict, type ProviderKind } from '../provider';

const SIGNATURE_HEADER = 'x-twilio-email-event-webhook-signature';
const TIMESTAMP_HEADER = 'x-twilio-email-event-webhook-timestamp';

const Options = z
  .object({
    /**
     * How far `X-Twilio-Email-Event-Webhook-Timestamp` may lie from the arrival time, either side. SendGrid documents no
     * tolerance of its own, so this is Hookline's default (10 minutes), not SendGrid's.
     */
    toleranceSeconds: z
      .number({ error: 'must be a whole number of seconds, 1-86400' })
      .int('must be a whole number of seconds, 1-86400')
      .min(1, 'must be 1-86400 s')
      .max(86_400, 'must be 1-86400 s')
      .default(600),
  })
  .strict();
export type SendgridOptions = z.infer<typeof Options>;

/**
 * SendGrid's verification key as the source holds it: the base64 DER (SubjectPublicKeyInfo) string SendGrid's UI
 * shows, or the same key as PEM. Anything but an EC P-256 public key is refused, so a wrong paste fails loudly.
 */
export function sendgridVerificationKey(text: string | undefined): KeyObject | null {
  const trimmed = text?.trim();
  if (!trimmed) return null;
  try {
    const key = trimmed.includes('-----BEGIN')
      ? createPublicKey(trimmed)
      : /^[A-Za-z0-9+/\s]+={0,2}$/.test(trimmed)
        ? createPublicKey({ key: Buffer.from(trimmed.replace(/\s+/g, ''), 'base64'), format: 'der', type: 'spki' })
        : null;
    return key && key.type === 'public' && key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1' ? key : null;
  } catch {
    return null;
  }
}

/**
 * SendGrid's Signed Event Webhook, as Twilio SendGrid documents it
 * (https://www.twilio.com/docs/sendgrid/for-developers/tracking-events/getting-started-event-webhook-security-features):
 * SendGrid signs each Event Webhook POST with the private half of an ECDSA P-256 key pair; the public half is the
 * source's verification key (`keys.publicKey`, base64 DER as SendGrid shows it, or PEM).
 *
 * - `X-Twilio-Email-Event-Webhook-Signature` is the base64 of a DER-encoded ECDSA signature (SHA-256) over the bytes
 *   of `X-Twilio-Email-Event-Webhook-Timestamp` (as sent) followed immediately by the raw body bytes, nothing between.
 *   It is checked with `crypto.verify` on those bytes exactly as they arrived (a public-key check: there is no secret
 *   to compare, so no constant-time comparison is needed).
 * - The timestamp is Unix seconds. SendGrid documents no replay window, so Hookline applies its own:
 *   `toleranceSeconds` (default 600 s) either side of the arrival time, checked once the signature holds (so
 *   `stale_timestamp` only ever names an authentic but old request).
 * - The body is a JSON array of events; each element becomes one Hookline event: kind = its `event` (`delivered`,
 *   `open`, `click`, `bounce`, …), id = its `sg_event_id` (SendGrid's unique id of that event, the same on a retry),
 *   occurredAt = its `timestamp`.
 */
export const sendgrid: InboundProvider = {
  name: 'sendgrid',
  keys: 'public_key',
  parseOptions: (options) => Options.parse(options ?? {}),
  async verify(request, keys): Promise<Verdict> {
    if (request.method !== 'POST') return refuse(405, 'method_not_allowed', 'SendGrid Event Webhook callbacks are POSTs');
    const o = Options.parse(keys.options);
    const signature = request.headers[SIGNATURE_HEADER]?.trim();
    const timestamp = request.headers[TIMESTAMP_HEADER]?.trim();
    if (!signature) return refuse(401, 'missing_signature', 'no X-Twilio-Email-Event-Webhook-Signature header');
    if (!timestamp) return refuse(401, 'missing_signature', 'no X-Twilio-Email-Event-Webhook-Timestamp header');
    if (!/^[0-9]{1,12}$/.test(timestamp)) return refuse(401, 'bad_signature', 'X-Twilio-Email-Event-Webhook-Timestamp is not Unix seconds');
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(signature)) return refuse(401, 'bad_signature', 'X-Twilio-Email-Event-Webhook-Signature is not base64');
    const key = sendgridVerificationKey(keys.publicKey);
    if (!key) return refuse(401, 'bad_signature', "the source's verification key is not an EC P-256 public key (base64 DER or PEM)");

    let valid: boolean;
    try {
      const signed = Buffer.concat([Buffer.from(timestamp, 'utf8'), request.rawBody]);
      valid = verifySignature('sha256', signed, { key, dsaEncoding: 'der' }, Buffer.from(signature, 'base64'));
    } catch {
      valid = false; // a signature that is not DER at all
    }
    if (!valid) return refuse(401, 'bad_signature', 'X-Twilio-Email-Event-Webhook-Signature does not verify under the verification key');
    if (!withinTolerance(Number(timestamp), request.receivedAt, o.toleranceSeconds))
      return refuse(401, 'stale_timestamp', `X-Twilio-Email-Event-Webhook-Timestamp is more than ${o.toleranceSeconds} s from now`);

    let body: unknown;
    try {
      body = JSON.parse(request.rawBody.toString('utf8'));
    } catch {
      return refuse(400, 'malformed', 'the body is not JSON');
    }
    if (!Array.isArray(body)) return refuse(400, 'malformed', 'the body is not a JSON array of events');
    const events: NormalisedEvent[] = [];
    for (const [index, element] of body.entries()) {
      if (element === null || typeof element !== 'object' || Array.isArray(element)) return refuse(400, 'malformed', `event ${index} is not a JSON object`);
      events.push(normalise(element as Record<string, unknown>));
    }
    return { kind: 'accepted', events };
  },
};

function normalise(data: Record<string, unknown>): NormalisedEvent {
  const kind = typeof data.event === 'string' ? kindOf(data.event) : '';
  const seconds =
    typeof data.timestamp === 'number'
      ? data.timestamp
      : typeof data.timestamp === 'string' && /^[0-9]{1,12}$/.test(data.timestamp)
        ? Number(data.timestamp)
        : NaN;
  const occurredAt = Number.isFinite(seconds) ? new Date(seconds * 1000) : undefined;
  return {
    kind: kind || 'event',
    ...(typeof data.sg_event_id === 'string' && data.sg_event_id ? { id: data.sg_event_id } : {}),
    data,
    ...(occurredAt && !Number.isNaN(occurredAt.getTime()) ? { occurredAt: occurredAt.toISOString() } : {}),
  };
}

const base = {
  email: 'ada@example.com',
  timestamp: 1767225600,
  'smtp-id': '<5yGbhXmHRaGKkh0XNvo2Ug@geopod-ismtpd-3>',
  sg_message_id: '5yGbhXmHRaGKkh0XNvo2Ug.recvd-5bd6d7d8b5-lj7gw-1-6770C0E0-2.0',
  category: ['receipts'],
};

/** The common kinds of SendGrid Event Webhook events (https://www.twilio.com/docs/sendgrid/for-developers/tracking-events/event). */
export const sendgridKinds: ProviderKind[] = [
  {
    kind: 'processed',
    description: 'SendGrid accepted the message and is about to deliver it.',
    example: { ...base, event: 'processed', sg_event_id: 'cHJvY2Vzc2VkLTQ0NjU2NTk5LTV5R2JoWG1IUmFHS2toMFhOdm8yVWctMA' },
  },
  {
    kind: 'deferred',
    description: 'The receiving server temporarily refused the message; SendGrid will retry (for up to 72 hours).',
    example: {
      ...base,
      event: 'deferred',
      sg_event_id: 'ZGVmZXJyZWQtMC00NDY1NjU5OS01eUdiaFhtSFJhR0traDBYTnZvMlVnLTA',
      response: '421 4.7.0 Try again later, closing connection.',
      attempt: '2',
      ip: '149.72.154.232',
      tls: 1,
    },
  },
  {
    kind: 'delivered',
    description: 'The receiving server accepted the message.',
    example: {
      ...base,
      event: 'delivered',
      sg_event_id: 'ZGVsaXZlcmVkLTAtNDQ2NTY1OTktNXlHYmhYbUhSYUdLa2gwWE52bzJVZy0w',
      response: '250 2.0.0 OK  1767225600 d75a77b69052e-4a7c3e1b9c2si12345qtb.321 - gsmtp',
      ip: '149.72.154.232',
      tls: 1,
    },
  },
  {
    kind: 'open',
    description: 'The recipient opened the message (tracked with an image; may also be a machine open).',
    example: {
      ...base,
      event: 'open',
      sg_event_id: 'b3Blbi0xMjM0NTY3ODktNXlHYmhYbUhSYUdLa2gwWE52bzJVZy0w',
      useragent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36',
      ip: '203.0.113.7',
      sg_machine_open: false,
    },
  },
  {
    kind: 'click',
    description: 'The recipient clicked a tracked link in the message.',
    example: {
      ...base,
      event: 'click',
      sg_event_id: 'Y2xpY2stMTIzNDU2Nzg5LTV5R2JoWG1IUmFHS2toMFhOdm8yVWctMA',
      url: 'https://example.com/orders/10428',
      url_offset: { index: 0, type: 'html' },
      useragent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148',
      ip: '203.0.113.7',
    },
  },
  {
    kind: 'bounce',
    description: 'The receiving server permanently rejected the message (type "bounce") or SendGrid blocked it (type "blocked").',
    example: {
      ...base,
      event: 'bounce',
      sg_event_id: 'Ym91bmNlLTAtNDQ2NTY1OTktNXlHYmhYbUhSYUdLa2gwWE52bzJVZy0w',
      type: 'bounce',
      bounce_classification: 'Invalid Address',
      reason: '550 5.1.1 The email account that you tried to reach does not exist.',
      status: '5.1.1',
      ip: '149.72.154.232',
      tls: 1,
    },
  },
  {
    kind: 'dropped',
    description: 'SendGrid did not send the message (a suppressed address, an invalid message, …).',
    example: {
      ...base,
      event: 'dropped',
      sg_event_id: 'ZHJvcC0xMDk5NDkxOS01eUdiaFhtSFJhR0traDBYTnZvMlVnLTA',
      reason: 'Bounced Address',
      status: '5.0.0',
    },
  },
  {
    kind: 'spamreport',
    description: 'The recipient marked the message as spam.',
    example: { ...base, event: 'spamreport', sg_event_id: 'c3BhbXJlcG9ydC0xMjM0NTY3ODktNXlHYmhYbUhSYUdLa2gwWE52bzJVZy0w' },
  },
  {
    kind: 'unsubscribe',
    description: 'The recipient unsubscribed from all of your mail.',
    example: { ...base, event: 'unsubscribe', sg_event_id: 'dW5zdWJzY3JpYmUtMTIzNDU2Nzg5LTV5R2JoWG1IUmFHS2toMFhOdm8yVWctMA' },
  },
  {
    kind: 'group_unsubscribe',
    description: 'The recipient unsubscribed from one unsubscribe group (asm_group_id).',
    example: {
      ...base,
      event: 'group_unsubscribe',
      sg_event_id: 'Z3JvdXBfdW5zdWJzY3JpYmUtMTIzNDU2Nzg5LTV5R2JoWG1IUmFHS2toMFhOdm8yVWctMA',
      asm_group_id: 4201,
      useragent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15',
      ip: '203.0.113.7',
    },
  },
  {
    kind: 'group_resubscribe',
    description: 'The recipient subscribed again to one unsubscribe group (asm_group_id).',
    example: {
      ...base,
      event: 'group_resubscribe',
      sg_event_id: 'Z3JvdXBfcmVzdWJzY3JpYmUtMTIzNDU2Nzg5LTV5R2JoWG1IUmFHS2toMFhOdm8yVWctMA',
      asm_group_id: 4201,
      useragent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15',
      ip: '203.0.113.7',
    },
  },
];
