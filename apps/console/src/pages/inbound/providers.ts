import type { BodyOf, ResponseOf } from '../../api/client';

export type Source = ResponseOf<'/v1/tenants/{tenantId}/inbound-sources/{id}', 'get'>;
export type SourceBody = BodyOf<'/v1/tenants/{tenantId}/inbound-sources', 'post'>;
export type LogEntry = ResponseOf<'/v1/tenants/{tenantId}/inbound-sources/{id}/log', 'get'>['data'][number];
export type Provider = SourceBody['provider'];

/** Every query of these pages starts with the tenant, so a tenant switch never shows another tenant's sources. */
export const sourceKeys = {
  all: (tenantId: string) => ['inbound-sources', tenantId] as const,
  one: (tenantId: string, id: string) => ['inbound-sources', tenantId, id] as const,
  log: (tenantId: string, id: string) => ['inbound-sources', tenantId, id, 'log'] as const,
};

/** What a source of one provider needs and where its owner finds it (README "Inbound webhooks"). */
export interface ProviderInfo {
  label: string;
  /** Which key the provider signs with: a shared secret, a public key, or none (AWS SNS: Amazon's certificate). */
  key: 'secret' | 'publicKey' | 'none';
  keyLabel: string;
  keyHint: string;
  placeholder?: string;
  /** What each request is checked against, in a sentence. */
  verifies: string;
  setup: string[];
  /** The options a source of this provider takes as JSON (absent: none, or fields of their own in the form). */
  options?: string;
}

const BEHIND_PROXY = 'It signs the exact URL it calls: behind a proxy, ingest must know its public address (HOOKLINE_INBOUND_BASE_URL).';

/** Keyed by the API's enum, so a provider the API adds is a type error here until it is described. */
export const PROVIDERS: Record<Provider, ProviderInfo> = {
  stripe: {
    label: 'Stripe',
    key: 'secret',
    keyLabel: 'Stripe signing secret',
    keyHint: 'Dashboard → Developers → Webhooks → the endpoint → Signing secret (whsec_…).',
    placeholder: 'whsec_…',
    verifies: 'Stripe-Signature: HMAC-SHA256 of the timestamp and body, within 300 s.',
    setup: [
      'In the Stripe Dashboard, Developers → Webhooks, add an endpoint whose URL is the inbound URL, and pick its events.',
      'Copy that endpoint’s signing secret (whsec_…) into this source.',
    ],
    options: 'toleranceSeconds (1-86400, default 300)',
  },
  github: {
    label: 'GitHub',
    key: 'secret',
    keyLabel: 'GitHub webhook secret',
    keyHint: 'The secret set on the webhook, in the repository’s or organisation’s Settings → Webhooks.',
    verifies: 'X-Hub-Signature-256: HMAC-SHA256 of the body; a retry is recognised by X-GitHub-Delivery.',
    setup: [
      'In the repository’s or organisation’s Settings → Webhooks, add a webhook whose Payload URL is the inbound URL, content type application/json.',
      'Give it a secret of your choosing and enter the same secret here. Its ping is accepted as an event.',
    ],
  },
  twilio: {
    label: 'Twilio',
    key: 'secret',
    keyLabel: 'Twilio auth token',
    keyHint: 'Console → Account → API keys & tokens → Auth token.',
    verifies: 'X-Twilio-Signature: HMAC-SHA1 of the URL and the form fields (or of the body’s SHA-256 for JSON).',
    setup: ['Set the inbound URL as the webhook or status callback URL of your number or messaging service.', BEHIND_PROXY],
    options: 'allowGet (true to accept GET callbacks; default false)',
  },
  sendgrid: {
    label: 'SendGrid',
    key: 'publicKey',
    keyLabel: 'SendGrid verification public key',
    keyHint: 'Settings → Mail Settings → Event Webhook → Signature Verification (base64 DER or PEM).',
    verifies: 'X-Twilio-Email-Event-Webhook-Signature: ECDSA P-256 over timestamp and body, within 600 s; one event per element of a batch.',
    setup: [
      'In Settings → Mail Settings → Event Webhook, set the HTTP Post URL to the inbound URL.',
      'Turn on Signature Verification and copy its verification key here.',
    ],
    options: 'toleranceSeconds (1-86400, default 600)',
  },
  meta_whatsapp: {
    label: 'Meta (WhatsApp)',
    key: 'secret',
    keyLabel: 'Meta app secret',
    keyHint: 'Meta app dashboard → App settings → Basic → App secret.',
    verifies: 'X-Hub-Signature-256: HMAC-SHA256 under the app secret; the GET handshake is answered when the verify token matches.',
    setup: [
      'In the Meta app’s WhatsApp → Configuration, set the Callback URL to the inbound URL and the Verify token to this source’s verify token; Meta checks it with a GET that Hookline answers.',
      'Subscribe to the webhook fields you need (messages, …).',
    ],
  },
  messagebird: {
    label: 'MessageBird',
    key: 'secret',
    keyLabel: 'MessageBird signing key',
    keyHint: 'Dashboard → Developers → API access → Signing key.',
    verifies: 'MessageBird-Signature-JWT: an HS256 JWT over the URL and body hashes, within its nbf/exp.',
    setup: ['Set the inbound URL as the webhook URL of your MessageBird channel or flow.', 'Copy the signing key here.'],
    options: 'algorithms (["HS256"], or HS384/HS512 too), leewaySeconds (0-60, default 1)',
  },
  aws_sns: {
    label: 'AWS SNS (and SES)',
    key: 'none',
    keyLabel: '',
    keyHint: '',
    verifies: 'The SNS message signature, with Amazon’s certificate from sns.<region>.amazonaws.com; the timestamp within 1 h.',
    setup: [
      'Subscribe the inbound URL (HTTPS protocol) to the SNS topic: Hookline verifies the subscription confirmation and confirms it.',
      'SES notifications sent through the topic become ses.<type> events.',
    ],
    options: 'topicArns (["arn:aws:sns:…"]; absent: any topic), autoConfirm (default true)',
  },
  gupshup: {
    label: 'Gupshup',
    key: 'secret',
    keyLabel: 'Gupshup token',
    keyHint: 'A token you choose; Gupshup signs nothing, so it sends this token in a header you set on the subscription.',
    verifies: 'A shared token in a header (Authorization: Bearer <token> by default).',
    setup: [
      'Choose a long random token and enter it here.',
      'On the Gupshup subscription, set the inbound URL and, in its meta headers, Authorization: Bearer <token>.',
    ],
    options: 'tokenHeader (default "authorization")',
  },
  vonage: {
    label: 'Vonage',
    key: 'secret',
    keyLabel: 'Vonage signature secret',
    keyHint: 'Dashboard → API settings → Signature secret.',
    verifies: 'Authorization: Bearer, an HS256 JWT with the body’s payload_hash, within 300 s (legacy SMS sig with smsSignatureMethod).',
    setup: ['Set the inbound URL as the application’s or number’s webhook URL.', 'Copy the signature secret here.'],
    options: 'toleranceSeconds (1-3600, default 300), apiKey, applicationId, smsSignatureMethod (md5hash, md5, sha1, sha256, sha512)',
  },
  plivo: {
    label: 'Plivo',
    key: 'secret',
    keyLabel: 'Plivo auth token',
    keyHint: 'Console → Overview → Auth token.',
    verifies: 'X-Plivo-Signature-V3: HMAC-SHA256 of the URL, sorted parameters and nonce.',
    setup: ['Set the inbound URL as the message or call callback URL of your Plivo application.', BEHIND_PROXY],
    options: 'allowGet (true to accept GET callbacks; default false)',
  },
  standard_webhooks: {
    label: 'Standard Webhooks',
    key: 'secret',
    keyLabel: 'Signing secret',
    keyHint: 'The whsec_… secret from the sender’s settings.',
    placeholder: 'whsec_…',
    verifies: 'webhook-signature v1: HMAC-SHA256 of id.timestamp.body, within 300 s.',
    setup: ['In the sender’s webhook settings, add the inbound URL as an endpoint.', 'Copy its whsec_… signing secret here.'],
    options: 'typeField (where the event kind is in the body; default "type")',
  },
  generic_hmac: {
    label: 'Generic HMAC',
    key: 'secret',
    keyLabel: 'Shared secret',
    keyHint: 'The HMAC key the sender signs with, from its settings.',
    verifies: 'The signature header you name: a prefix and the HMAC of the signed content, as the signature settings say.',
    setup: [
      'In the sender’s settings, set the inbound URL as its webhook URL and note how it signs: header, algorithm, encoding, what it signs.',
      'Describe that here; a request whose signature does not match is refused and logged with its reason.',
    ],
  },
};

export const PROVIDER_ORDER = Object.keys(PROVIDERS) as Provider[];

export function providerInfo(provider: string): ProviderInfo | undefined {
  return (PROVIDERS as Record<string, ProviderInfo | undefined>)[provider];
}

export function formatBytes(size: number): string {
  if (size < 1024) return `${size} B`;
  return size < 1024 * 1024 ? `${(size / 1024).toFixed(1)} KiB` : `${(size / 1024 / 1024).toFixed(1)} MiB`;
}
