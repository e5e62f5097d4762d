import { verify as verifySignature, X509Certificate } from 'node:crypto';
import { z } from 'zod';
import { jsonObject, kindOf, withinTolerance } from '../crypto';
import { refuse, type InboundProvider, type NormalisedEvent, type Verdict } from '../provider';

/** An SNS regional endpoint host: `sns.<region>.amazonaws.com`, or `sns.<region>.amazonaws.com.cn` in the China regions. */
const SNS_HOST = /^sns\.[a-z]{2}(?:-[a-z]+)+-[0-9]{1,2}\.amazonaws\.com(?:\.cn)?$/;

/**
 * The subject CNs SNS signing certificates carry: `sns.amazonaws.com` in most
 * regions, `sns-signing.<region>.amazonaws.com` in the opt-in regions (e.g.
 * af-south-1, me-central-1), `sns-<region>.amazonaws.com` in GovCloud and
 * `sns-<region>.amazonaws.com.cn` in China.
 */
const SNS_SIGNING_CN =
  /^(?:sns\.amazonaws\.com|sns-signing\.[a-z]{2}(?:-[a-z]+)+-[0-9]{1,2}\.amazonaws\.com|sns-[a-z]{2}(?:-[a-z]+)+-[0-9]{1,2}\.amazonaws\.com(?:\.cn)?)$/;

const TOPIC_ARN = /^arn:aws(?:-cn|-us-gov)?:sns:[a-z]{2}(?:-[a-z]+)+-[0-9]{1,2}:[0-9]{12}:[A-Za-z0-9_-]{1,256}(?:\.fifo)?$/;

/** SNS's own format: `2012-05-02T00:54:06.655Z`. */
const TIMESTAMP = /^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]{1,9})?Z$/;

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** How old (or how far ahead) a message's `Timestamp` may be: SNS retries an HTTP/S delivery for at most 3,600 s. */
const MAX_AGE_SECONDS = 3_600;

export const AwsSnsOptions = z
  .object({
    /** The topics this source accepts; any other topic's message (confirmations included) is refused. */
    topicArns: z
      .array(z.string().regex(TOPIC_ARN, 'must be an SNS topic ARN like arn:aws:sns:us-east-1:123456789012:my-topic'))
      .min(1, 'must list at least one topic ARN (or be left out to accept any topic)')
      .max(100, 'must list at most 100 topic ARNs')
      .optional(),
    /** Whether a verified SubscriptionConfirmation is confirmed by visiting its SubscribeURL. */
    autoConfirm: z.boolean({ error: 'must be true or false' }).default(true),
  })
  .strict();
export type AwsSnsOptions = z.infer<typeof AwsSnsOptions>;

type MessageType = 'Notification' | 'SubscriptionConfirmation' | 'UnsubscribeConfirmation';
const MESSAGE_TYPES: readonly string[] = ['Notification', 'SubscriptionConfirmation', 'UnsubscribeConfirmation'];

/** The fields each type signs, in the order AWS documents (byte order of their names). */
const SIGNED_FIELDS: Record<MessageType, readonly string[]> = {
  Notification: ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'],
  SubscriptionConfirmation: ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'],
  UnsubscribeConfirmation: ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'],
};

/**
 * The SES notification types (`notificationType` for identity feedback
 * notifications and inbound mail, `eventType` for configuration-set event
 * publishing), as SES spells them, with the kind each becomes.
 */
const SES_KINDS: Readonly<Record<string, string>> = {
  Bounce: 'ses.bounce',
  Complaint: 'ses.complaint',
  Delivery: 'ses.delivery',
  Send: 'ses.send',
  Reject: 'ses.reject',
  Open: 'ses.open',
  Click: 'ses.click',
  DeliveryDelay: 'ses.' + kindOf('DeliveryDelay'),
  Subscription: 'ses.subscription',
  // SES documents the event type as "Rendering Failure"; both spellings make the same kind.
  'Rendering Failure': 'ses.' + kindOf('RenderingFailure'),
  RenderingFailure: 'ses.' + kindOf('RenderingFailure'),
  Received: 'ses.received',
};

/** `raw` as a URL when it is https on an SNS regional host (default port, no credentials); null otherwise. */
function snsUrl(raw: string): URL | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' || url.username !== '' || url.password !== '' || url.port !== '') return null;
  return SNS_HOST.test(url.hostname) ? url : null;
}

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/** `text` parsed when it is a JSON object or array; undefined otherwise (a bare `"42"` stays a string). */
function jsonStructure(text: string): Record<string, unknown> | unknown[] | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' ? (value as Record<string, unknown> | unknown[]) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Amazon SNS HTTP/HTTPS subscriptions (and so Amazon SES notifications
 * delivered through SNS), verified as AWS documents it in "Verifying the
 * signatures of Amazon SNS messages"
 * (https://docs.aws.amazon.com/sns/latest/dg/sns-verify-signature-of-message.html,
 * https://docs.aws.amazon.com/sns/latest/dg/sns-verify-signature-of-message-verify-message-signature.html)
 * and the message formats
 * (https://docs.aws.amazon.com/sns/latest/dg/http-notification-json.html,
 * https://docs.aws.amazon.com/sns/latest/dg/http-subscription-confirmation-json.html,
 * https://docs.aws.amazon.com/sns/latest/dg/http-unsubscribe-confirmation-json.html).
 * No shared secret: SNS signs with the private key of an AWS certificate.
 *
 * The body is a JSON object whose `Type` is `Notification`,
 * `SubscriptionConfirmation` or `UnsubscribeConfirmation` (and equals the
 * `x-amz-sns-message-type` header when that is present). The string to sign is
 * `name\nvalue\n` for each of Message, MessageId, Subject (only when the body
 * has it), Timestamp, TopicArn and Type for a notification, and Message,
 * MessageId, SubscribeURL, Timestamp, Token, TopicArn and Type for either
 * confirmation, with the values as JSON decodes them, as UTF-8.
 * `SignatureVersion` "1" is SHA1withRSA, "2" SHA256withRSA, of that string;
 * `Signature` is its base64. Nothing else is signed: `MessageAttributes`,
 * `UnsubscribeURL` and `SigningCertURL` are not covered (the last is trusted
 * only through the checks below), so `messageAttributes` in an event is the
 * sender's word only.
 *
 * Before anything is fetched: with `topicArns`, another topic's message is
 * refused 403 `bad_verify_token` (the allow-list plays the part other
 * providers' verify tokens do: the value this source was told to expect; the
 * ARN is signed, so a forged one fails the signature anyway, and confirmations
 * of unlisted topics are never confirmed); a `Timestamp` more than 1 hour from
 * the request's arrival either way is refused `stale_timestamp` (AWS caps the
 * whole HTTP/S retry policy at 3,600 s,
 * https://docs.aws.amazon.com/sns/latest/dg/sns-message-delivery-retries.html,
 * so a genuine retry is never older; an older one is a replay); and
 * `SigningCertURL` must be `https://sns.<region>.amazonaws.com[.cn]/<path>.pem`
 * (no port, no credentials, no query or fragment), else 401
 * `untrusted_certificate`. The certificate is then fetched (`tools.fetchText`,
 * the parsed URL as checked) and must parse as X.509, be valid at the
 * request's arrival, carry an RSA key, and have exactly one subject CN, one of
 * the names SNS signs with (`sns.amazonaws.com`,
 * `sns-signing.<region>.amazonaws.com`, `sns-<region>.amazonaws.com[.cn]`),
 * else 401 `untrusted_certificate`. The chain of trust is the TLS connection
 * to the SNS host (the certificate file holds no chain to check); the CN check
 * only catches a wrong file. Then the signature is verified with its public
 * key (PKCS#1 v1.5), else 401 `bad_signature`.
 *
 * A SubscriptionConfirmation, with `autoConfirm` (the default), is confirmed
 * by a GET of its `SubscribeURL`, which must be https on an SNS regional host
 * too (else 400 `malformed`, nothing fetched); either way the answer is a 200
 * handshake. An UnsubscribeConfirmation is a 200 handshake and nothing else.
 * A Notification is one event: id `MessageId`, occurredAt `Timestamp`. When
 * its `Message` is an SES notification (a JSON object with a `mail` object and
 * a `notificationType` or `eventType` SES documents: Bounce, Complaint,
 * Delivery, Send, Reject, Open, Click, DeliveryDelay, Subscription, Rendering
 * Failure, Received), the kind is `ses.` + the type (`ses.bounce`,
 * `ses.deliverydelay`, `ses.renderingfailure`) and data the SES object plus
 * `sns: { MessageId, TopicArn, Timestamp, Subject? }`; otherwise the kind is
 * `notification` and data `{ message, subject, topicArn, messageId,
 * timestamp, messageAttributes }`, `message` parsed when it is a JSON object
 * or array.
 */
export const awsSns: InboundProvider = {
  name: 'aws_sns',
  keys: 'none',
  parseOptions: (options) => AwsSnsOptions.parse(options ?? {}),
  async verify(request, keys, tools): Promise<Verdict> {
    if (request.method !== 'POST') return refuse(405, 'method_not_allowed', 'SNS messages are POSTs');
    const o = AwsSnsOptions.parse(keys.options);
    const body = jsonObject(request.rawBody);
    if (!body) return refuse(400, 'malformed', 'the body is not a JSON object');
    const type = body.Type;
    if (typeof type !== 'string' || !MESSAGE_TYPES.includes(type))
      return refuse(400, 'malformed', 'Type is not Notification, SubscriptionConfirmation or UnsubscribeConfirmation');
    const messageType = type as MessageType;
    const headerType = request.headers['x-amz-sns-message-type'];
    if (headerType !== undefined && headerType !== messageType)
      return refuse(400, 'malformed', `x-amz-sns-message-type is not the body's Type (${messageType})`);

    for (const field of SIGNED_FIELDS[messageType]) {
      const value = body[field];
      if (field === 'Subject' && value === undefined) continue;
      if (typeof value !== 'string') return refuse(400, 'malformed', `${field} is missing or not a string`);
    }
    const str = (field: string) => body[field] as string;
    if (!TIMESTAMP.test(str('Timestamp')) || Number.isNaN(Date.parse(str('Timestamp'))))
      return refuse(400, 'malformed', 'Timestamp is not an ISO 8601 UTC time');

    const signature = body.Signature;
    if (typeof signature !== 'string' || signature === '') return refuse(401, 'missing_signature', 'no Signature');
    const version = body.SignatureVersion;
    if (version !== '1' && version !== '2') return refuse(401, 'bad_signature', 'SignatureVersion is not "1" or "2"');
    if (!BASE64.test(signature)) return refuse(401, 'bad_signature', 'Signature is not base64');
    if (typeof body.SigningCertURL !== 'string') return refuse(401, 'untrusted_certificate', 'no SigningCertURL');

    const topicArn = str('TopicArn');
    if (o.topicArns && !o.topicArns.includes(topicArn)) return refuse(403, 'bad_verify_token', `topic ${topicArn} is not one of this source's topicArns`);
    if (!withinTolerance(Date.parse(str('Timestamp')) / 1000, request.receivedAt, MAX_AGE_SECONDS))
      return refuse(401, 'stale_timestamp', `Timestamp is more than ${MAX_AGE_SECONDS} s from now`);

    const certUrl = snsUrl(body.SigningCertURL);
    if (!certUrl || !certUrl.pathname.endsWith('.pem') || certUrl.search !== '' || certUrl.hash !== '')
      return refuse(401, 'untrusted_certificate', 'SigningCertURL is not an https .pem URL on sns.<region>.amazonaws.com');

    let certificate: X509Certificate;
    try {
      certificate = new X509Certificate(await fetchCertificate(tools.fetchText, certUrl.href));
    } catch (error) {
      if (error instanceof CertificateFetchError) throw error;
      return refuse(401, 'untrusted_certificate', 'SigningCertURL does not hold an X.509 certificate');
    }
    const validFrom = certificate.validFromDate ?? new Date(certificate.validFrom);
    const validTo = certificate.validToDate ?? new Date(certificate.validTo);
    if (!(request.receivedAt >= validFrom && request.receivedAt <= validTo))
      return refuse(401, 'untrusted_certificate', `the signing certificate is not valid now (valid ${validFrom.toISOString()} to ${validTo.toISOString()})`);
    const commonNames = certificate.subject
      .split('\n')
      .filter((line) => line.startsWith('CN='))
      .map((line) => line.slice(3));
    if (commonNames.length !== 1 || !SNS_SIGNING_CN.test(commonNames[0]))
      return refuse(401, 'untrusted_certificate', 'the signing certificate is not issued to an SNS signing name');
    if (certificate.publicKey.asymmetricKeyType !== 'rsa') return refuse(401, 'untrusted_certificate', 'the signing certificate has no RSA key');

    const stringToSign = SIGNED_FIELDS[messageType]
      .filter((field) => body[field] !== undefined)
      .map((field) => `${field}\n${str(field)}\n`)
      .join('');
    let valid = false;
    try {
      valid = verifySignature(version === '1' ? 'sha1' : 'sha256', Buffer.from(stringToSign, 'utf8'), certificate.publicKey, Buffer.from(signature, 'base64'));
    } catch {
      valid = false;
    }
    if (!valid) return refuse(401, 'bad_signature', `Signature (SignatureVersion ${version}) does not match the message`);

    if (messageType === 'UnsubscribeConfirmation')
      return { kind: 'handshake', answer: { status: 200 }, detail: `the subscription to ${topicArn} was deleted; nothing done` };
    if (messageType === 'SubscriptionConfirmation') {
      if (!o.autoConfirm)
        return { kind: 'handshake', answer: { status: 200 }, detail: `subscription to ${topicArn} not confirmed (autoConfirm is off): confirm it in AWS` };
      const subscribeUrl = snsUrl(str('SubscribeURL'));
      if (!subscribeUrl) return refuse(400, 'malformed', 'SubscribeURL is not an https URL on sns.<region>.amazonaws.com');
      try {
        await tools.fetchText(subscribeUrl.href);
      } catch (error) {
        // Thrown, not refused: the caller answers 5xx and SNS sends the confirmation again.
        throw new Error(`aws_sns: confirming the subscription to ${topicArn} failed`, { cause: error });
      }
      return { kind: 'handshake', answer: { status: 200 }, detail: `confirmed the subscription to ${topicArn}` };
    }
    return { kind: 'accepted', events: [notificationEvent(body, str)] };
  },
};

/** Thrown when the certificate could not be fetched (a transient failure: the caller answers 5xx and SNS retries). */
class CertificateFetchError extends Error {}

async function fetchCertificate(fetchText: (url: string) => Promise<string>, url: string): Promise<string> {
  try {
    return await fetchText(url);
  } catch (error) {
    throw new CertificateFetchError(`aws_sns: fetching the signing certificate ${url} failed`, { cause: error });
  }
}

function notificationEvent(body: Record<string, unknown>, str: (field: string) => string): NormalisedEvent {
  const subject = typeof body.Subject === 'string' ? body.Subject : undefined;
  const common = { id: str('MessageId'), occurredAt: str('Timestamp') };
  const message = jsonStructure(str('Message'));
  if (isObject(message) && isObject(message.mail)) {
    const sesType = typeof message.eventType === 'string' ? message.eventType : message.notificationType;
    const kind = typeof sesType === 'string' && Object.hasOwn(SES_KINDS, sesType) ? SES_KINDS[sesType] : undefined;
    if (kind) {
      const sns = {
        MessageId: str('MessageId'),
        TopicArn: str('TopicArn'),
        Timestamp: str('Timestamp'),
        ...(subject !== undefined ? { Subject: subject } : {}),
      };
      return { kind, ...common, data: { ...message, sns } };
    }
  }
  return {
    kind: 'notification',
    ...common,
    data: {
      message: message ?? str('Message'),
      subject: subject ?? null,
      topicArn: str('TopicArn'),
      messageId: str('MessageId'),
      timestamp: str('Timestamp'),
      messageAttributes: isObject(body.MessageAttributes) ? body.MessageAttributes : {},
    },
  };
}
