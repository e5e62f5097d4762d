// @peculiar/x509 resolves its services through tsyringe, which needs the Reflect metadata polyfill loaded first.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { EventsAcceptedTopic, type EventEnvelope } from '@hookline/contracts';
import { inboundEventId, type ProviderTools } from '@hookline/inbound';
import { freshDatabase, type InProcessService } from '@hookline/testing';
import { generateKeyPairSync, randomBytes, randomUUID, sign } from 'node:crypto';
import { CatalogInMemory, startIngest } from '../ingest.fixtures';
import { PROVIDER_TOOLS } from './provider-tools';

const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:ses-events';
const CERT_URL = 'https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-test.pem';
const SUBSCRIBE_URL = `https://sns.eu-west-1.amazonaws.com/?Action=ConfirmSubscription&TopicArn=${TOPIC}&Token=tok`;

/**
 * An AWS SNS source on ingest in process: no AWS host is reachable here, so the
 * provider fetcher is replaced by one that serves a certificate this test
 * made (CN sns.amazonaws.com, its own RSA key) at the SNS URL, and records
 * every URL asked for. Everything else is the real route: the confirmation
 * fetched, a signed SES notification accepted once as `inbound.aws_sns.ses.bounce`,
 * a tampered one refused and logged.
 */
describe('inbound route: AWS SNS', () => {
  const database = freshDatabase();
  const fetched: string[] = [];
  const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  let pem = '';
  const tools: ProviderTools = {
    fetchText: async (url) => {
      fetched.push(url);
      if (url === CERT_URL) return pem;
      if (url === SUBSCRIBE_URL) return '<ConfirmSubscriptionResponse/>';
      throw new Error(`unexpected fetch of ${url}`);
    },
  };
  let api: InProcessService;
  let source: string;

  /** Signed as AWS documents: `name\nvalue\n` for each signed field present, in order; SHA256withRSA for SignatureVersion 2. */
  const signed = (fields: Record<string, string>): Record<string, string> => {
    const order =
      fields.Type === 'Notification'
        ? ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type']
        : ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'];
    const text = order
      .filter((k) => fields[k] !== undefined)
      .map((k) => `${k}\n${fields[k]}\n`)
      .join('');
    return { ...fields, SignatureVersion: '2', Signature: sign('sha256', Buffer.from(text), keys.privateKey).toString('base64'), SigningCertURL: CERT_URL };
  };
  const post = (body: unknown, type: string) =>
    api.call('POST', `/v1/inbound/${source}`, {
      rawBody: JSON.stringify(body),
      headers: { 'content-type': 'text/plain; charset=UTF-8', 'x-amz-sns-message-type': type },
    });
  const bounce = {
    notificationType: 'Bounce',
    bounce: { bounceType: 'Permanent', bouncedRecipients: [{ emailAddress: 'gone@example.com' }], timestamp: '2026-11-29T10:00:00.000Z' },
    mail: { messageId: 'ses-msg-1', source: 'billing@acme.example', destination: ['gone@example.com'] },
  };
  const notification = (messageId: string) =>
    signed({ Type: 'Notification', MessageId: messageId, TopicArn: TOPIC, Message: JSON.stringify(bounce), Timestamp: new Date().toISOString() });
  const published = () => api.produced.filter((p) => p.topic === EventsAcceptedTopic.name).map((p) => p.value as EventEnvelope);

  beforeAll(async () => {
    const subtle = globalThis.crypto.subtle;
    const algorithm = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
    const certificate = await x509.X509CertificateGenerator.createSelfSigned(
      {
        serialNumber: '01',
        name: 'CN=sns.amazonaws.com',
        notBefore: new Date(Date.now() - 86_400_000),
        notAfter: new Date(Date.now() + 86_400_000),
        keys: {
          privateKey: await subtle.importKey('pkcs8', keys.privateKey.export({ type: 'pkcs8', format: 'der' }), algorithm, false, ['sign']),
          publicKey: await subtle.importKey('spki', keys.publicKey.export({ type: 'spki', format: 'der' }), algorithm, true, ['verify']),
        },
        signingAlgorithm: algorithm,
      },
      globalThis.crypto,
    );
    pem = certificate.toString('pem');
    api = await startIngest(database.url, `admin-token-${randomBytes(8).toString('hex')}`, new CatalogInMemory(), {}, [
      { provide: PROVIDER_TOOLS, useValue: tools },
    ]);
    source = randomUUID();
    await database.db.query(
      `INSERT INTO inbound_sources (id, tenant_id, provider, name, secret, public_key, options, event_type_prefix, enabled, store_bodies, version)
       VALUES ($1, 'acme', 'aws_sns', 'ses', NULL, NULL, $2, 'inbound.aws_sns', true, false, 1)`,
      [source, JSON.stringify({ topicArns: [TOPIC], autoConfirm: true })],
    );
  }, 60_000);
  afterAll(() => api?.close());

  it('confirms a subscription by fetching its SubscribeURL, after verifying it with the certificate fetched from the SNS host', async () => {
    const confirmation = signed({
      Type: 'SubscriptionConfirmation',
      MessageId: randomUUID(),
      Token: 'tok',
      TopicArn: TOPIC,
      Message: 'You have chosen to subscribe.',
      SubscribeURL: SUBSCRIBE_URL,
      Timestamp: new Date().toISOString(),
    });
    expect((await post(confirmation, 'SubscriptionConfirmation')).status).toBe(200);
    expect(fetched).toEqual([CERT_URL, SUBSCRIBE_URL]);
  });

  it('accepts a signed SES bounce once as inbound.aws_sns.ses.bounce, deduplicates its retry, and refuses a tampered one', async () => {
    const message = notification('b1f0c1d2-0000-4000-8000-000000000001');
    expect((await post(message, 'Notification')).status).toBe(200);
    expect((await post(message, 'Notification')).status).toBe(200);
    const tampered = { ...message, Message: JSON.stringify({ ...bounce, bounce: { ...bounce.bounce, bounceType: 'Transient' } }) };
    expect(await post(tampered, 'Notification')).toMatchObject({ status: 401, body: { error: 'bad_signature' } });
    const id = inboundEventId(source, message.MessageId);
    expect(published().filter((e) => e.id === id)).toEqual([
      expect.objectContaining({
        tenantId: 'acme',
        type: 'inbound.aws_sns.ses.bounce',
        data: expect.objectContaining({ notificationType: 'Bounce', mail: bounce.mail }),
      }),
    ]);
    const log = (await database.db.query(`SELECT outcome, reason FROM inbound_log WHERE source_id = $1 ORDER BY received_at, id`, [source])) as {
      outcome: string;
      reason: string | null;
    }[];
    expect(log.slice(-3)).toEqual([
      { outcome: 'accepted', reason: null },
      { outcome: 'accepted', reason: null },
      { outcome: 'refused', reason: 'bad_signature' },
    ]);
  });
});
