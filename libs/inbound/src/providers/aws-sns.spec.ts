// @peculiar/x509 resolves its services through tsyringe, which needs the Reflect metadata polyfill loaded first.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import type { InboundRequest, ProviderTools, Verdict } from '../provider';
import { awsSns } from './aws-sns';
import { awsSnsKinds } from './aws-sns-kinds';

/*
 * AWS publishes no signed sample message whose certificate is still valid (and
 * nothing could fetch one here anyway), so every message below is signed by
 * the test itself: an RSA 2048 key it holds, in a self-signed certificate with
 * CN=sns.amazonaws.com that `fetchText` serves at the expected SigningCertURL.
 * The string to sign is built here independently of the provider, from the
 * AWS documentation.
 */

const NOW = new Date('2025-06-01T12:00:00.000Z');
const TOPIC = 'arn:aws:sns:us-east-1:123456789012:hookline-test';
const CERT_URL = 'https://sns.us-east-1.amazonaws.com/SimpleNotificationService-9c6465fa7f48f5cacd23014631ec1136.pem';
const SUBSCRIBE_URL = `https://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription&TopicArn=${TOPIC}&Token=2336412f37fb687f5d51e6e241d16`;
const HOUR = 3_600_000;

interface Signer {
  privateKey: KeyObject;
  pem: string;
}

async function makeSigner(options: { cn?: string; notBefore?: Date; notAfter?: Date; ec?: boolean } = {}): Promise<Signer> {
  const { privateKey, publicKey } = options.ec ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : generateKeyPairSync('rsa', { modulusLength: 2048 });
  const algorithm = options.ec ? { name: 'ECDSA', hash: 'SHA-256' } : { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  const importAlgorithm = options.ec ? { name: 'ECDSA', namedCurve: 'P-256' } : algorithm;
  const subtle = globalThis.crypto.subtle;
  const keys = {
    privateKey: await subtle.importKey('pkcs8', privateKey.export({ type: 'pkcs8', format: 'der' }), importAlgorithm, false, ['sign']),
    publicKey: await subtle.importKey('spki', publicKey.export({ type: 'spki', format: 'der' }), importAlgorithm, true, ['verify']),
  };
  const certificate = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: '0a1b2c3d',
      name: `CN=${options.cn ?? 'sns.amazonaws.com'}`,
      notBefore: options.notBefore ?? new Date(NOW.getTime() - 30 * 24 * HOUR),
      notAfter: options.notAfter ?? new Date(NOW.getTime() + 300 * 24 * HOUR),
      keys,
      signingAlgorithm: algorithm,
    },
    globalThis.crypto,
  );
  return { privateKey, pem: certificate.toString('pem') };
}

/** The documented string to sign: `name\nvalue\n` for each signed field the message has, in this order. */
const NOTIFICATION_FIELDS = ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'];
const CONFIRMATION_FIELDS = ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'];

function signMessage(
  fields: Record<string, unknown>,
  signer: Signer,
  options: { version?: '1' | '2'; hash?: 'sha1' | 'sha256'; order?: string[] } = {},
): Record<string, unknown> {
  const version = options.version ?? '1';
  const order = options.order ?? (fields.Type === 'Notification' ? NOTIFICATION_FIELDS : CONFIRMATION_FIELDS);
  const stringToSign = order
    .filter((name) => fields[name] !== undefined)
    .map((name) => `${name}\n${String(fields[name])}\n`)
    .join('');
  const hash = options.hash ?? (version === '1' ? 'sha1' : 'sha256');
  const signature = sign(hash, Buffer.from(stringToSign, 'utf8'), signer.privateKey).toString('base64');
  return { ...fields, SignatureVersion: version, Signature: signature, SigningCertURL: CERT_URL };
}

/** Drops the fields an override set to undefined, as SNS leaves out a Subject it has none of. */
const present = (fields: Record<string, unknown>) => Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));

function notification(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return present({
    Type: 'Notification',
    MessageId: '22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324',
    TopicArn: TOPIC,
    Subject: 'Order shipped',
    Message: 'Order ord_8123 shipped.\nTracking: 1Z999 – ünïcode ✓',
    Timestamp: new Date(NOW.getTime() - 5_000).toISOString(),
    UnsubscribeURL: `https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=${TOPIC}:c9135db0-26c4-47ec-8998-413945fb5a96`,
    ...overrides,
  });
}

function confirmation(type: 'SubscriptionConfirmation' | 'UnsubscribeConfirmation', overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return present({
    Type: type,
    MessageId: '165545c9-2a5c-472c-8df2-7ff2be2b3b1b',
    Token: '2336412f37fb687f5d51e6e241d16',
    TopicArn: TOPIC,
    Message: `You have chosen to subscribe to the topic ${TOPIC}.\nTo confirm the subscription, visit the SubscribeURL included in this message.`,
    SubscribeURL: SUBSCRIBE_URL,
    Timestamp: new Date(NOW.getTime() - 2_000).toISOString(),
    ...overrides,
  });
}

function request(body: Record<string, unknown> | string, headers: Record<string, string> = {}, method: 'GET' | 'POST' = 'POST'): InboundRequest {
  return {
    method,
    url: 'https://hooks.example.com/in/src_sns',
    headers: { 'content-type': 'text/plain; charset=UTF-8', ...headers },
    rawBody: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body), 'utf8'),
    receivedAt: NOW,
  };
}

/** A fetchText serving `pems` (URL → text) and answering SNS's confirmation URL; every call is recorded. */
function fakeTools(pems: Record<string, string>): ProviderTools & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    async fetchText(url: string) {
      calls.push(url);
      if (Object.hasOwn(pems, url)) return pems[url];
      if (url.startsWith('https://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription')) return '<ConfirmSubscriptionResponse/>';
      throw new Error(`unexpected fetch of ${url}`);
    },
  };
}

const keys = (options: Record<string, unknown> = {}) => ({ options: awsSns.parseOptions(options) });

function expectRefused(verdict: Verdict, status: number, reason: string) {
  expect(verdict).toMatchObject({ kind: 'refused', status, reason });
  if (verdict.kind === 'refused') expect(verdict.detail).toEqual(expect.any(String));
}

let signer: Signer;
let tools: ReturnType<typeof fakeTools>;

beforeAll(async () => {
  signer = await makeSigner();
});

beforeEach(() => {
  tools = fakeTools({ [CERT_URL]: signer.pem });
});

describe('aws_sns options', () => {
  it('defaults autoConfirm to true and takes a list of topic ARNs', () => {
    expect(awsSns.parseOptions(undefined)).toEqual({ autoConfirm: true });
    expect(awsSns.parseOptions({ topicArns: [TOPIC, 'arn:aws-cn:sns:cn-north-1:123456789012:orders'], autoConfirm: false })).toEqual({
      topicArns: [TOPIC, 'arn:aws-cn:sns:cn-north-1:123456789012:orders'],
      autoConfirm: false,
    });
  });

  it('refuses unknown options, non-ARNs, an empty list and a non-boolean autoConfirm', () => {
    expect(() => awsSns.parseOptions({ secret: 'x' })).toThrow();
    expect(() => awsSns.parseOptions({ topicArns: ['hookline-test'] })).toThrow(/SNS topic ARN/);
    expect(() => awsSns.parseOptions({ topicArns: ['arn:aws:sqs:us-east-1:123456789012:queue'] })).toThrow(/SNS topic ARN/);
    expect(() => awsSns.parseOptions({ topicArns: [] })).toThrow(/at least one/);
    expect(() => awsSns.parseOptions({ autoConfirm: 'yes' })).toThrow(/true or false/);
  });

  it('needs no key', () => {
    expect(awsSns.keys).toBe('none');
    expect(awsSns.name).toBe('aws_sns');
  });
});

describe('aws_sns notifications', () => {
  it('accepts a SignatureVersion 1 (SHA1withRSA) notification, fetching the certificate at SigningCertURL', async () => {
    const body = signMessage(notification({ MessageAttributes: { region: { Type: 'String', Value: 'eu' } } }), signer, { version: '1' });
    const verdict = await awsSns.verify(request(body, { 'x-amz-sns-message-type': 'Notification' }), keys(), tools);
    expect(verdict).toEqual({
      kind: 'accepted',
      events: [
        {
          kind: 'notification',
          id: '22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324',
          occurredAt: body.Timestamp,
          data: {
            message: 'Order ord_8123 shipped.\nTracking: 1Z999 – ünïcode ✓',
            subject: 'Order shipped',
            topicArn: TOPIC,
            messageId: '22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324',
            timestamp: body.Timestamp,
            messageAttributes: { region: { Type: 'String', Value: 'eu' } },
          },
        },
      ],
    });
    expect(tools.calls).toEqual([CERT_URL]);
  });

  it('accepts a SignatureVersion 2 (SHA256withRSA) notification without Subject, parsing a JSON Message', async () => {
    const body = signMessage(notification({ Subject: undefined, Message: JSON.stringify({ orderId: 'ord_8123', items: [1, 2] }) }), signer, { version: '2' });
    expect(body).not.toHaveProperty('Subject');
    const verdict = await awsSns.verify(request(body), keys(), tools);
    expect(verdict).toMatchObject({ kind: 'accepted', events: [{ kind: 'notification', id: body.MessageId, occurredAt: body.Timestamp }] });
    if (verdict.kind !== 'accepted') throw new Error('not accepted');
    expect(verdict.events[0].data).toEqual({
      message: { orderId: 'ord_8123', items: [1, 2] },
      subject: null,
      topicArn: TOPIC,
      messageId: body.MessageId,
      timestamp: body.Timestamp,
      messageAttributes: {},
    });
  });

  it('keeps a Message that is JSON but no object or array as the string it is', async () => {
    const verdict = await awsSns.verify(request(signMessage(notification({ Message: '42' }), signer)), keys(), tools);
    expect(verdict).toMatchObject({ kind: 'accepted', events: [{ kind: 'notification', data: { message: '42' } }] });
  });

  it('refuses a signature made with the other version’s hash (SHA256 declared as version 1, SHA1 as version 2)', async () => {
    const sha256AsV1 = signMessage(notification(), signer, { version: '1', hash: 'sha256' });
    expectRefused(await awsSns.verify(request(sha256AsV1), keys(), tools), 401, 'bad_signature');
    const sha1AsV2 = signMessage(notification(), signer, { version: '2', hash: 'sha1' });
    expectRefused(await awsSns.verify(request(sha1AsV2), keys(), tools), 401, 'bad_signature');
  });

  it('refuses a signature over the fields in another order, or with Subject signed when the body has none', async () => {
    const reordered = signMessage(notification(), signer, { order: ['MessageId', 'Message', 'Subject', 'Timestamp', 'TopicArn', 'Type'] });
    expectRefused(await awsSns.verify(request(reordered), keys(), tools), 401, 'bad_signature');
    const withSubject = signMessage(notification(), signer);
    delete withSubject.Subject;
    expectRefused(await awsSns.verify(request(withSubject), keys(), tools), 401, 'bad_signature');
  });

  it('refuses a tampered Message, Subject, MessageId, Timestamp or TopicArn as bad_signature', async () => {
    const body = signMessage(notification(), signer, { version: '2' });
    expect(await awsSns.verify(request(body), keys(), tools)).toMatchObject({ kind: 'accepted' });
    const tampered: Record<string, unknown>[] = [
      { ...body, Message: 'Order ord_8123 refunded.' },
      { ...body, Subject: 'Order refunded' },
      { ...body, MessageId: '22b80b92-fdea-4c2c-8f9d-bdfb0c7bf325' },
      { ...body, Timestamp: new Date(NOW.getTime() - 4_000).toISOString() },
      { ...body, TopicArn: 'arn:aws:sns:us-east-1:123456789012:other' },
    ];
    for (const message of tampered) {
      const verdict = await awsSns.verify(request(message), keys(), tools);
      expectRefused(verdict, 401, 'bad_signature');
      if (verdict.kind === 'refused') expect(verdict.detail).not.toContain(String(body.Signature).slice(0, 16));
    }
  });

  it('refuses a message signed by a key other than the certificate’s', async () => {
    const impostor = await makeSigner();
    const verdict = await awsSns.verify(request(signMessage(notification(), impostor)), keys(), tools);
    expectRefused(verdict, 401, 'bad_signature');
  });
});

describe('aws_sns SES notifications', () => {
  const bounce = {
    notificationType: 'Bounce',
    bounce: {
      bounceType: 'Permanent',
      bounceSubType: 'General',
      bouncedRecipients: [{ emailAddress: 'jane@example.org', action: 'failed', status: '5.1.1', diagnosticCode: 'smtp; 550 5.1.1 user unknown' }],
      timestamp: '2025-06-01T11:59:50.120Z',
      feedbackId: '0100018e3c5d8f10-2b6f4c1e-000000',
    },
    mail: { timestamp: '2025-06-01T11:59:48.000Z', source: 'billing@example.com', messageId: '0100018e3c5d7b2a-000000', destination: ['jane@example.org'] },
  };

  it('makes an SES bounce a ses.bounce event: the SES object plus the SNS envelope', async () => {
    const body = signMessage(notification({ Subject: 'Amazon SES Email Event Notification', Message: JSON.stringify(bounce) }), signer, { version: '2' });
    const verdict = await awsSns.verify(request(body), keys({ topicArns: [TOPIC] }), tools);
    expect(verdict).toEqual({
      kind: 'accepted',
      events: [
        {
          kind: 'ses.bounce',
          id: body.MessageId,
          occurredAt: body.Timestamp,
          data: {
            ...bounce,
            sns: { MessageId: body.MessageId, TopicArn: TOPIC, Timestamp: body.Timestamp, Subject: 'Amazon SES Email Event Notification' },
          },
        },
      ],
    });
  });

  it.each([
    ['eventType', 'Complaint', 'ses.complaint'],
    ['eventType', 'Delivery', 'ses.delivery'],
    ['eventType', 'DeliveryDelay', 'ses.deliverydelay'],
    ['eventType', 'Rendering Failure', 'ses.renderingfailure'],
    ['notificationType', 'Received', 'ses.received'],
  ])('makes %s %s a %s event (no Subject in the envelope when SNS sent none)', async (field, type, kind) => {
    const ses = { [field]: type, mail: bounce.mail };
    const body = signMessage(notification({ Subject: undefined, Message: JSON.stringify(ses) }), signer);
    const verdict = await awsSns.verify(request(body), keys(), tools);
    expect(verdict).toMatchObject({ kind: 'accepted', events: [{ kind, id: body.MessageId }] });
    if (verdict.kind === 'accepted') expect(verdict.events[0].data.sns).toEqual({ MessageId: body.MessageId, TopicArn: TOPIC, Timestamp: body.Timestamp });
  });

  it('treats JSON that only looks like SES (no mail object, or an unknown type) as a plain notification', async () => {
    for (const message of [{ eventType: 'Bounce' }, { notificationType: 'Shipped', mail: {} }, { eventType: 'toString', mail: {} }]) {
      const body = signMessage(notification({ Message: JSON.stringify(message) }), signer);
      expect(await awsSns.verify(request(body), keys(), tools)).toMatchObject({ kind: 'accepted', events: [{ kind: 'notification', data: { message } }] });
    }
  });

  it('lists each catalog kind once, with an example the provider turns into that kind', async () => {
    expect(new Set(awsSnsKinds.map((k) => k.kind)).size).toBe(awsSnsKinds.length);
    for (const { kind, example } of awsSnsKinds) {
      const { sns: _sns, ...ses } = example;
      const message = kind === 'notification' ? JSON.stringify(example.message) : JSON.stringify(ses);
      const body = signMessage(notification({ Message: message }), signer);
      const verdict = await awsSns.verify(request(body), keys(), tools);
      expect({ kind, verdict }).toMatchObject({ kind, verdict: { kind: 'accepted', events: [{ kind }] } });
    }
  });
});

describe('aws_sns subscription handshakes', () => {
  it('confirms a verified SubscriptionConfirmation by fetching its SubscribeURL', async () => {
    const body = signMessage(confirmation('SubscriptionConfirmation'), signer);
    const verdict = await awsSns.verify(request(body, { 'x-amz-sns-message-type': 'SubscriptionConfirmation' }), keys({ topicArns: [TOPIC] }), tools);
    expect(verdict).toMatchObject({ kind: 'handshake', answer: { status: 200 } });
    if (verdict.kind === 'handshake') expect(verdict.detail).not.toContain('2336412f37fb687f5d51e6e241d16');
    expect(tools.calls).toEqual([CERT_URL, SUBSCRIBE_URL]);
  });

  it('does not confirm when autoConfirm is off, but still answers 200', async () => {
    const body = signMessage(confirmation('SubscriptionConfirmation'), signer, { version: '2' });
    const verdict = await awsSns.verify(request(body), keys({ autoConfirm: false }), tools);
    expect(verdict).toMatchObject({ kind: 'handshake', answer: { status: 200 } });
    expect(tools.calls).toEqual([CERT_URL]);
  });

  it('does not confirm a confirmation whose Token or SubscribeURL was tampered with', async () => {
    const body = signMessage(confirmation('SubscriptionConfirmation'), signer);
    expectRefused(await awsSns.verify(request({ ...body, Token: 'ffff' }), keys(), tools), 401, 'bad_signature');
    const otherUrl = `https://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription&TopicArn=${TOPIC}&Token=ffff`;
    expectRefused(await awsSns.verify(request({ ...body, SubscribeURL: otherUrl }), keys(), tools), 401, 'bad_signature');
    expect(tools.calls).toEqual([CERT_URL, CERT_URL]);
  });

  it.each([
    'https://sns.us-east-1.amazonaws.com.evil.com/?Action=ConfirmSubscription&Token=x',
    'http://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription&Token=x',
    'https://evil.example.com/?Action=ConfirmSubscription&Token=x',
    'https://sns.us-east-1.amazonaws.com@evil.example.com/?Action=ConfirmSubscription',
    'https://sns.us-east-1.amazonaws.com:8443/?Action=ConfirmSubscription&Token=x',
  ])('refuses to confirm a signed SubscribeURL off an SNS host (%s), fetching only the certificate', async (subscribeUrl) => {
    const body = signMessage(confirmation('SubscriptionConfirmation', { SubscribeURL: subscribeUrl }), signer);
    expectRefused(await awsSns.verify(request(body), keys(), tools), 400, 'malformed');
    expect(tools.calls).toEqual([CERT_URL]);
  });

  it('answers a verified UnsubscribeConfirmation 200 and does nothing else', async () => {
    const body = signMessage(confirmation('UnsubscribeConfirmation'), signer, { version: '2' });
    const verdict = await awsSns.verify(request(body), keys(), tools);
    expect(verdict).toMatchObject({ kind: 'handshake', answer: { status: 200 } });
    expect(tools.calls).toEqual([CERT_URL]);
  });

  it('refuses an unsigned or tampered UnsubscribeConfirmation', async () => {
    const body = signMessage(confirmation('UnsubscribeConfirmation'), signer);
    expectRefused(await awsSns.verify(request({ ...body, Message: 'other' }), keys(), tools), 401, 'bad_signature');
    const { Signature: _signature, ...unsigned } = body;
    expectRefused(await awsSns.verify(request(unsigned), keys(), tools), 401, 'missing_signature');
  });

  it('propagates a failed confirmation fetch (so the caller answers 5xx and SNS retries)', async () => {
    const failing: ProviderTools = {
      fetchText: async (url) => {
        if (url === CERT_URL) return signer.pem;
        throw new Error('connect ETIMEDOUT');
      },
    };
    const body = signMessage(confirmation('SubscriptionConfirmation'), signer);
    await expect(awsSns.verify(request(body), keys(), failing)).rejects.toThrow(/confirming the subscription/);
  });
});

describe('aws_sns SigningCertURL and certificate', () => {
  it.each([
    'https://sns.us-east-1.amazonaws.com.evil.com/x.pem',
    'http://sns.us-east-1.amazonaws.com/SimpleNotificationService-9c6465fa7f48f5cacd23014631ec1136.pem',
    'https://sns.us-east-1.amazonaws.com/SimpleNotificationService-9c6465fa7f48f5cacd23014631ec1136.txt',
    'https://evil.example.com/sns.us-east-1.amazonaws.com/x.pem',
    'https://sns.us-east-1.amazonaws.com@evil.example.com/x.pem',
    'https://user:pass@sns.us-east-1.amazonaws.com/x.pem',
    'https://sns.us-east-1.amazonaws.com:8443/x.pem',
    'https://sns.us-east-1.amazonaws.com./x.pem',
    'https://sns.s3.amazonaws.com/x.pem',
    'https://sns.s3-us-east-1.amazonaws.com/x.pem',
    'https://s3.us-east-1.amazonaws.com/sns/x.pem',
    'https://sns.amazonaws.com/x.pem',
    'https://sns.us-east-1.amazonaws.com/x.pem?.pem',
    'https://sns.us-east-1.amazonaws.com/x.pem#x.pem',
    'https://sns.us-east-1.amazonaws.com/x.pem/',
    '//sns.us-east-1.amazonaws.com/x.pem',
    'not a url',
  ])('refuses SigningCertURL %s as untrusted_certificate without fetching it', async (url) => {
    const body = { ...signMessage(notification(), signer), SigningCertURL: url };
    const all = fakeTools({ [url]: signer.pem, [CERT_URL]: signer.pem });
    expectRefused(await awsSns.verify(request(body), keys(), all), 401, 'untrusted_certificate');
    expect(all.calls).toEqual([]);
  });

  it('refuses a message without SigningCertURL', async () => {
    const { SigningCertURL: _url, ...body } = signMessage(notification(), signer);
    expectRefused(await awsSns.verify(request(body), keys(), tools), 401, 'untrusted_certificate');
    expect(tools.calls).toEqual([]);
  });

  it('accepts a certificate URL on a China or GovCloud SNS host, fetching exactly the URL it checked', async () => {
    for (const url of [
      'https://sns.cn-north-1.amazonaws.com.cn/SimpleNotificationService-3250158c6b7fd4c6e7c3bf6b4b5cd5b1.pem',
      'https://SNS.US-GOV-WEST-1.amazonaws.com/SimpleNotificationService-3250158c6b7fd4c6e7c3bf6b4b5cd5b1.pem',
    ]) {
      const body = { ...signMessage(notification(), signer), SigningCertURL: url };
      const normalised = new URL(url).href;
      const served = fakeTools({ [normalised]: signer.pem });
      expect(await awsSns.verify(request(body), keys(), served)).toMatchObject({ kind: 'accepted' });
      expect(served.calls).toEqual([normalised]);
    }
  });

  it('refuses an expired certificate and one not valid yet', async () => {
    const expired = await makeSigner({ notBefore: new Date(NOW.getTime() - 400 * 24 * HOUR), notAfter: new Date(NOW.getTime() - HOUR) });
    const verdict = await awsSns.verify(request(signMessage(notification(), expired)), keys(), fakeTools({ [CERT_URL]: expired.pem }));
    expectRefused(verdict, 401, 'untrusted_certificate');
    const future = await makeSigner({ notBefore: new Date(NOW.getTime() + HOUR), notAfter: new Date(NOW.getTime() + 400 * 24 * HOUR) });
    const early = await awsSns.verify(request(signMessage(notification(), future)), keys(), fakeTools({ [CERT_URL]: future.pem }));
    expectRefused(early, 401, 'untrusted_certificate');
  });

  it('refuses a certificate whose subject CN is not an SNS signing name', async () => {
    for (const cn of ['evil.example.com', 'sns.amazonaws.com.evil.com', 'xsns.amazonaws.com', 'sns.us-east-1.amazonaws.com']) {
      const other = await makeSigner({ cn });
      const verdict = await awsSns.verify(request(signMessage(notification(), other)), keys(), fakeTools({ [CERT_URL]: other.pem }));
      expectRefused(verdict, 401, 'untrusted_certificate');
    }
  });

  it('accepts the regional signing names SNS uses outside the main regions', async () => {
    for (const cn of ['sns-signing.me-central-1.amazonaws.com', 'sns-us-gov-west-1.amazonaws.com', 'sns-cn-north-1.amazonaws.com.cn']) {
      const regional = await makeSigner({ cn });
      const verdict = await awsSns.verify(request(signMessage(notification(), regional)), keys(), fakeTools({ [CERT_URL]: regional.pem }));
      expect(verdict).toMatchObject({ kind: 'accepted' });
    }
  });

  it('refuses a certificate with a key other than RSA, even when the message verifies with it', async () => {
    const ec = await makeSigner({ ec: true });
    const verdict = await awsSns.verify(request(signMessage(notification(), ec, { version: '2' })), keys(), fakeTools({ [CERT_URL]: ec.pem }));
    expectRefused(verdict, 401, 'untrusted_certificate');
  });

  it('refuses a SigningCertURL that serves no certificate', async () => {
    const body = signMessage(notification(), signer);
    const verdict = await awsSns.verify(request(body), keys(), fakeTools({ [CERT_URL]: '<Error><Code>NoSuchKey</Code></Error>' }));
    expectRefused(verdict, 401, 'untrusted_certificate');
  });

  it('propagates a failed certificate fetch rather than refusing (a transient failure SNS should retry)', async () => {
    const body = signMessage(notification(), signer);
    const failing: ProviderTools = { fetchText: async () => Promise.reject(new Error('getaddrinfo EAI_AGAIN')) };
    await expect(awsSns.verify(request(body), keys(), failing)).rejects.toThrow(/signing certificate/);
  });
});

describe('aws_sns refusals before any fetch', () => {
  it('refuses a Timestamp more than an hour old (or ahead) as stale_timestamp', async () => {
    for (const offset of [-61 * 60_000, 61 * 60_000]) {
      const body = signMessage(notification({ Timestamp: new Date(NOW.getTime() + offset).toISOString() }), signer);
      expectRefused(await awsSns.verify(request(body), keys(), tools), 401, 'stale_timestamp');
    }
    expect(tools.calls).toEqual([]);
    const late = signMessage(notification({ Timestamp: new Date(NOW.getTime() - 59 * 60_000).toISOString() }), signer);
    expect(await awsSns.verify(request(late), keys(), tools)).toMatchObject({ kind: 'accepted' });
  });

  it('refuses a topic not in topicArns 403 (confirmations included) and accepts a listed one', async () => {
    const options = keys({ topicArns: ['arn:aws:sns:us-east-1:123456789012:orders', 'arn:aws:sns:us-east-1:123456789012:other'] });
    expectRefused(await awsSns.verify(request(signMessage(notification(), signer)), options, tools), 403, 'bad_verify_token');
    expectRefused(await awsSns.verify(request(signMessage(confirmation('SubscriptionConfirmation'), signer)), options, tools), 403, 'bad_verify_token');
    expect(tools.calls).toEqual([]);
    const listed = keys({ topicArns: ['arn:aws:sns:us-east-1:123456789012:orders', TOPIC] });
    expect(await awsSns.verify(request(signMessage(notification(), signer)), listed, tools)).toMatchObject({ kind: 'accepted' });
  });

  it('refuses a message without Signature as missing_signature', async () => {
    const { Signature: _signature, ...body } = signMessage(notification(), signer);
    expectRefused(await awsSns.verify(request(body), keys(), tools), 401, 'missing_signature');
    expectRefused(await awsSns.verify(request({ ...body, Signature: '' }), keys(), tools), 401, 'missing_signature');
    expect(tools.calls).toEqual([]);
  });

  it('refuses an unknown SignatureVersion and a Signature that is not base64', async () => {
    const body = signMessage(notification(), signer);
    for (const SignatureVersion of ['3', 2, undefined])
      expectRefused(await awsSns.verify(request({ ...body, SignatureVersion }), keys(), tools), 401, 'bad_signature');
    expectRefused(await awsSns.verify(request({ ...body, Signature: 'not base64!' }), keys(), tools), 401, 'bad_signature');
    expect(tools.calls).toEqual([]);
  });

  it('refuses an x-amz-sns-message-type header that is not the body’s Type', async () => {
    const body = signMessage(notification(), signer);
    expectRefused(await awsSns.verify(request(body, { 'x-amz-sns-message-type': 'SubscriptionConfirmation' }), keys(), tools), 400, 'malformed');
    expect(tools.calls).toEqual([]);
  });

  it('refuses what is not an SNS message', async () => {
    const body = signMessage(notification(), signer);
    expectRefused(await awsSns.verify(request(body, {}, 'GET'), keys(), tools), 405, 'method_not_allowed');
    expectRefused(await awsSns.verify(request('Type=Notification'), keys(), tools), 400, 'malformed');
    expectRefused(await awsSns.verify(request({ ...body, Type: 'Publish' }), keys(), tools), 400, 'malformed');
    const { MessageId: _id, ...noId } = body;
    expectRefused(await awsSns.verify(request(noId), keys(), tools), 400, 'malformed');
    expectRefused(await awsSns.verify(request({ ...body, Subject: null }), keys(), tools), 400, 'malformed');
    expectRefused(await awsSns.verify(request({ ...body, Timestamp: '1717243200' }), keys(), tools), 400, 'malformed');
    const { Token: _token, ...noToken } = signMessage(confirmation('SubscriptionConfirmation'), signer);
    expectRefused(await awsSns.verify(request(noToken), keys(), tools), 400, 'malformed');
    expect(tools.calls).toEqual([]);
  });
});
