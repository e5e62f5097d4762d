import { createHash, createHmac, createSign, generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';

/** A request as a provider would send it: what to POST, and the provider's own id of the callback. */
export interface SignedCallback {
  headers: Record<string, string>;
  body: string;
}

/** Builds one provider's callbacks, signed as the provider documents it, with a key the bench holds. */
export interface ProviderSigner {
  provider: string;
  /** What the source is created with. */
  source: { secret?: string; publicKey?: string; options?: Record<string, unknown> };
  /** The `seq`-th callback (a retry is the same `seq` again), for the URL it is sent to. */
  sign(seq: number, url: string, nowSeconds: number): SignedCallback;
}

const json = { 'content-type': 'application/json' };
const hmacHex = (algorithm: string, key: string | Buffer, content: string) => createHmac(algorithm, key).update(content).digest('hex');

const STRIPE_SECRET = `whsec_${randomUUID().replace(/-/g, '')}`;
const GITHUB_SECRET = randomUUID();
const TWILIO_TOKEN = randomUUID().replace(/-/g, '');
const META_SECRET = randomUUID().replace(/-/g, '');
const STANDARD_SECRET = `whsec_${Buffer.from(randomUUID()).toString('base64')}`;
const sendgridKeys = generateKeyPairSync('ec', { namedCurve: 'P-256' });

export const SIGNERS: ProviderSigner[] = [
  {
    provider: 'stripe',
    source: { secret: STRIPE_SECRET },
    sign(seq, _url, t) {
      const body = JSON.stringify({
        id: `evt_bench_${seq}`,
        object: 'event',
        type: 'invoice.paid',
        created: t,
        data: { object: { id: `in_${seq}`, amount_paid: 4200 } },
      });
      return { headers: { ...json, 'stripe-signature': `t=${t},v1=${hmacHex('sha256', STRIPE_SECRET, `${t}.${body}`)}` }, body };
    },
  },
  {
    provider: 'github',
    source: { secret: GITHUB_SECRET },
    sign(seq) {
      const body = JSON.stringify({ ref: 'refs/heads/main', after: `${seq}`.padStart(40, '0'), repository: { full_name: 'acme/app' } });
      return {
        headers: {
          ...json,
          'x-github-event': 'push',
          'x-github-delivery': `bench-${seq}`,
          'x-hub-signature-256': `sha256=${hmacHex('sha256', GITHUB_SECRET, body)}`,
        },
        body,
      };
    },
  },
  {
    provider: 'twilio',
    source: { secret: TWILIO_TOKEN },
    sign(seq, url) {
      const fields: Record<string, string> = { AccountSid: 'ACbench', MessageSid: `SM${seq}`, MessageStatus: 'delivered', To: '+15005550006' };
      const signed =
        url +
        Object.keys(fields)
          .sort()
          .map((k) => k + fields[k])
          .join('');
      return {
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-twilio-signature': createHmac('sha1', TWILIO_TOKEN).update(signed).digest('base64'),
        },
        body: new URLSearchParams(fields).toString(),
      };
    },
  },
  {
    provider: 'sendgrid',
    source: { publicKey: (sendgridKeys.publicKey as KeyObject).export({ type: 'spki', format: 'der' }).toString('base64') },
    sign(seq, _url, t) {
      const body = JSON.stringify([
        { email: `user${seq}@example.com`, timestamp: t, event: 'delivered', sg_event_id: `sg_bench_${seq}`, sg_message_id: `m${seq}` },
      ]);
      const signer = createSign('sha256');
      signer.update(`${t}${body}`);
      return {
        headers: {
          ...json,
          'x-twilio-email-event-webhook-timestamp': String(t),
          'x-twilio-email-event-webhook-signature': signer.sign(sendgridKeys.privateKey).toString('base64'),
        },
        body,
      };
    },
  },
  {
    provider: 'meta_whatsapp',
    source: { secret: META_SECRET, options: { verifyToken: 'bench-verify-token' } },
    sign(seq, _url, t) {
      const body = JSON.stringify({
        object: 'whatsapp_business_account',
        entry: [
          {
            id: '102290129340398',
            changes: [
              {
                field: 'messages',
                value: {
                  messaging_product: 'whatsapp',
                  metadata: { display_phone_number: '15550783881', phone_number_id: '106540352242922' },
                  statuses: [{ id: `wamid.bench${seq}`, status: 'delivered', timestamp: String(t), recipient_id: '16505551234' }],
                },
              },
            ],
          },
        ],
      });
      return { headers: { ...json, 'x-hub-signature-256': `sha256=${hmacHex('sha256', META_SECRET, body)}` }, body };
    },
  },
  {
    provider: 'standard_webhooks',
    source: { secret: STANDARD_SECRET },
    sign(seq, _url, t) {
      const body = JSON.stringify({ type: 'order.shipped', data: { orderId: `o_${seq}` } });
      const id = `msg_bench_${seq}`;
      const key = Buffer.from(STANDARD_SECRET.slice('whsec_'.length), 'base64');
      return {
        headers: {
          ...json,
          'webhook-id': id,
          'webhook-timestamp': String(t),
          'webhook-signature': `v1,${createHmac('sha256', key).update(`${id}.${t}.${body}`).digest('base64')}`,
        },
        body,
      };
    },
  },
];

/** A digest naming a callback's payload, to tell deliveries apart in the report. */
export const digest = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 16);
