import { deliveryBody, DeliveryRequestSchema, EndpointConfigSchema, sealingContext, type DeliveryRequest, type EndpointConfig } from '@hookline/contracts';
import { SendError, type HttpSender, type InboundResponse, type OutboundRequest } from '@hookline/egress';
import { MasterKeyring } from '@hookline/encryption';
import { generateEd25519KeyPair, generateRsaKeyPair } from '@hookline/signing';
import { context } from '@hookline/telemetry';
import { verifyWebhook, type Scheme } from '@hookline/verify';
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { EndpointSigner } from '../signing/endpoint-signer';
import { DeliverAttempt } from './deliver-attempt.usecase';

const keyring = new MasterKeyring(randomBytes(32));
const signer = new EndpointSigner(keyring);
const ENDPOINT_ID = '5b7c7a0e-8a3c-4d0e-9a53-1f6f2a4e9c11';
const sealSecret = (secret: string, tenantId = 'acme', endpointId = ENDPOINT_ID) =>
  keyring.seal(secret, sealingContext('endpoint-secret', tenantId, endpointId));
const sealKey = (key: string) => keyring.seal(key, sealingContext('signing-key', 'acme', ENDPOINT_ID));

const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const ed = generateEd25519KeyPair();
const rsa = generateRsaKeyPair({ modulusLength: 2048 });
const endpoint: EndpointConfig = EndpointConfigSchema.parse({
  id: ENDPOINT_ID,
  tenantId: 'acme',
  url: 'https://hooks.example.test/in?team=billing',
  description: '',
  eventTypes: ['*'],
  signatureSchemes: ['v1'],
  secrets: [{ secret: sealSecret(secret), createdAt: '2026-01-01T00:00:00Z', expiresAt: null }],
  signingKeys: [
    { keyId: ed.keyId, algorithm: 'ed25519', privateKey: sealKey(ed.privateKey), createdAt: '2026-01-01T00:00:00Z' },
    { keyId: rsa.keyId, algorithm: 'rsa-sha256', privateKey: sealKey(rsa.privateKey), createdAt: '2026-01-01T00:00:00Z' },
  ],
  headers: { 'X-Team': 'billing', 'Webhook-Id': 'forged', 'Content-Type': 'text/plain' },
  enabled: true,
  timeoutMs: 10_000,
  version: 1,
  updatedAt: '2026-01-01T00:00:00Z',
});
const request: DeliveryRequest = DeliveryRequestSchema.parse({
  deliveryId: '0d2f4c7e-1111-4222-8333-944455556666',
  tenantId: 'acme',
  endpointId: endpoint.id,
  endpointVersion: 1,
  attempt: 2,
  reason: 'retry',
  requestedAt: '2026-11-22T10:00:00Z',
  event: {
    id: 'evt_1',
    tenantId: 'acme',
    type: 'invoice.paid',
    data: { amount: 1 },
    occurredAt: '2026-11-22T09:59:00.000Z',
    receivedAt: '2026-11-22T09:59:00.000Z',
  },
});

/** An HTTP port that records what it was asked to send and answers as told. */
class ScriptedHttp implements HttpSender {
  sent: OutboundRequest[] = [];
  constructor(private readonly answer: (req: OutboundRequest) => InboundResponse) {}
  async post(req: OutboundRequest): Promise<InboundResponse> {
    this.sent.push(req);
    return this.answer(req);
  }
}

const clockAt = (iso: string) => ({ now: () => new Date(iso) });
const ok = (status = 200, headers: Record<string, string> = {}): InboundResponse => ({ status, headers, body: 'ok', bodyTruncated: false });

describe(DeliverAttempt.name, () => {
  describe('the retry policy an outcome carries', () => {
    const failing = () => new ScriptedHttp(() => ok(500));

    it("carries the endpoint's own waits, resolved, on a failed attempt", async () => {
      const own = { ...endpoint, retryPolicy: { initialMs: 1000, factor: 2, maxDelayMs: 5000, attempts: 5 } };
      const outcome = await new DeliverAttempt(failing(), new EndpointSigner(keyring)).execute(request, own, context.active());
      expect(outcome).toMatchObject({ succeeded: false, retrySchedule: [1000, 2000, 4000, 5000] });
    });

    it("carries them when nothing could be sent, so the endpoint's policy paces those retries too", async () => {
      const own = {
        ...endpoint,
        retryPolicy: { delaysMs: [1000, 2000] },
        secrets: [{ secret: sealSecret(secret), createdAt: '', expiresAt: '2000-01-01T00:00:00Z' }],
      };
      const outcome = await new DeliverAttempt(failing(), new EndpointSigner(keyring)).execute(request, own, context.active());
      expect(outcome).toMatchObject({ failure: { kind: 'no_valid_secret' }, retrySchedule: [1000, 2000] });
    });

    it('carries none for an endpoint on the default schedule, nor for a deleted one', async () => {
      const onDefault = await new DeliverAttempt(failing(), new EndpointSigner(keyring)).execute(request, endpoint, context.active());
      expect(endpoint.retryPolicy).toBeNull();
      expect('retrySchedule' in onDefault).toBe(false);
      const deleted = await new DeliverAttempt(failing(), new EndpointSigner(keyring)).execute(request, undefined, context.active());
      expect('retrySchedule' in deleted).toBe(false);
    });
  });

  it('sends the exact signed body with every Hookline header, and custom headers cannot replace them', async () => {
    const http = new ScriptedHttp(() => ok());
    const outcome = await new DeliverAttempt(http, signer, clockAt('2026-11-22T10:00:00Z')).execute(request, endpoint, context.active());
    const [sent] = http.sent;
    expect(sent.body).toBe(deliveryBody(request.event));
    expect(sent.headers).toMatchObject({
      'content-type': 'application/json',
      'webhook-id': 'evt_1',
      'webhook-timestamp': String(Date.parse('2026-11-22T10:00:00Z') / 1000),
      'x-hookline-event': 'invoice.paid',
      'x-hookline-delivery': request.deliveryId,
      'idempotency-key': request.deliveryId,
      'X-Team': 'billing',
    });
    expect(sent.headers['Webhook-Id']).toBeUndefined();
    expect(sent.headers['Content-Type']).toBeUndefined();
    expect(sent.timeoutMs).toBe(10_000);
    // Verifies as Standard Webhooks (timestamp tolerance aside: the clock is fixed in the past).
    const wh = new Webhook(secret);
    jest.useFakeTimers({ now: new Date('2026-11-22T10:00:30Z') });
    try {
      expect(wh.verify(sent.body, sent.headers)).toEqual(JSON.parse(sent.body));
    } finally {
      jest.useRealTimers();
    }
    expect(outcome).toMatchObject({ succeeded: true, failure: null, url: endpoint.url, response: { status: 200 }, retryAfterSeconds: null });
  });

  it.each([
    [302, 'endpoint answered 302'],
    [404, 'endpoint answered 404'],
    [500, 'endpoint answered 500'],
  ])('counts %i as a failure', async (status, message) => {
    const outcome = await new DeliverAttempt(new ScriptedHttp(() => ok(status)), signer).execute(request, endpoint, context.active());
    expect(outcome).toMatchObject({ succeeded: false, failure: { kind: 'http_status', message }, response: { status } });
  });

  it('reads Retry-After on 429 and 503 only', async () => {
    const at = async (status: number) =>
      (await new DeliverAttempt(new ScriptedHttp(() => ok(status, { 'retry-after': '120' })), signer).execute(request, endpoint, context.active()))
        .retryAfterSeconds;
    expect(await at(429)).toBe(120);
    expect(await at(503)).toBe(120);
    expect(await at(500)).toBeNull();
  });

  it('turns send errors into outcomes', async () => {
    const failing: HttpSender = { post: async () => Promise.reject(new SendError('timeout', 'no complete answer within 10000 ms')) };
    const outcome = await new DeliverAttempt(failing, signer).execute(request, endpoint, context.active());
    expect(outcome).toMatchObject({ succeeded: false, failure: { kind: 'timeout' }, response: null });
  });

  it('does not send to a deleted or disabled endpoint', async () => {
    const http = new ScriptedHttp(() => ok());
    const attempt = new DeliverAttempt(http, signer);
    expect(await attempt.execute(request, undefined, context.active())).toMatchObject({ succeeded: false, failure: { kind: 'endpoint_missing' } });
    expect(await attempt.execute(request, { ...endpoint, enabled: false }, context.active())).toMatchObject({
      succeeded: false,
      failure: { kind: 'endpoint_disabled' },
    });
    expect(http.sent).toHaveLength(0);
  });

  it('reports an endpoint whose secrets all expired instead of throwing (regression: the message was retried forever)', async () => {
    const http = new ScriptedHttp(() => ok());
    const expired = { ...endpoint, version: 2, secrets: [{ secret: sealSecret(secret), createdAt: '', expiresAt: '2000-01-01T00:00:00Z' }] };
    expect(await new DeliverAttempt(http, signer).execute(request, expired, context.active())).toMatchObject({
      succeeded: false,
      failure: { kind: 'no_valid_secret' },
    });
    expect(http.sent).toHaveLength(0);
  });

  it('signs with every secret that has not expired (rotation overlap), in both HMAC schemes', async () => {
    const at = new Date('2026-11-22T10:00:00Z');
    const [older, old, current] = ['whsec_b2xkZXI=', 'whsec_b2xk', 'whsec_bmV3'];
    const rotated: EndpointConfig = {
      ...endpoint,
      version: 3,
      signatureSchemes: ['v1', 'hookline-v1'],
      secrets: [
        { secret: sealSecret(old), createdAt: '', expiresAt: '2026-11-22T11:00:00Z' },
        { secret: sealSecret(older), createdAt: '', expiresAt: '2026-11-22T09:00:00Z' },
        { secret: sealSecret(current), createdAt: '', expiresAt: null },
      ],
    };
    const http = new ScriptedHttp(() => ok());
    await new DeliverAttempt(http, signer, { now: () => at }).execute(request, rotated, context.active());
    const [sent] = http.sent;
    expect(sent.headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(sent.headers['x-hookline-signature'].split(',')).toHaveLength(2);
    for (const [secrets, verifies] of [
      [[old], true],
      [[current], true],
      [[older], false],
    ] as const) {
      for (const scheme of ['v1', 'hookline-v1'] as const) {
        const verified = verifyWebhook({ secrets, schemes: [scheme], body: sent.body, headers: sent.headers, path: '/in?team=billing', now: at });
        if (verifies) await expect(verified).resolves.toMatchObject({ scheme });
        else await expect(verified).rejects.toThrow();
      }
    }
  });

  it('signs with every scheme the endpoint chose; each verifies with @hookline/verify and custom headers cannot forge one', async () => {
    const at = new Date('2026-11-22T10:00:00Z');
    const forging = {
      ...endpoint,
      version: 4,
      signatureSchemes: ['v1', 'hookline-v1', 'ed25519', 'rsa-sha256'] as Scheme[],
      headers: { 'X-Hookline-Signature': 'sha256=00', 'x-hookline-nonce': 'forged-nonce-forged', 'X-Hookline-Key-Id': 'k' },
    };
    const http = new ScriptedHttp(() => ok());
    await new DeliverAttempt(http, signer, { now: () => at }).execute(request, forging, context.active());
    const [sent] = http.sent;
    expect(sent.headers['X-Hookline-Signature']).toBeUndefined();
    expect(sent.headers['x-hookline-nonce']).not.toBe('forged-nonce-forged');
    expect(sent.headers['x-hookline-key-id']).toBe(rsa.keyId);
    const trust = { secrets: [secret], publicKeys: [ed.publicKey, rsa.publicKey] };
    for (const scheme of forging.signatureSchemes) {
      await expect(
        verifyWebhook({ ...trust, schemes: [scheme], body: sent.body, headers: sent.headers, path: '/in?team=billing', now: at }),
      ).resolves.toMatchObject({ scheme });
    }
    // hookline-v1 covers the path: the same request presented at another path fails.
    await expect(
      verifyWebhook({ ...trust, schemes: ['hookline-v1'], body: sent.body, headers: sent.headers, path: '/in?team=other', now: at }),
    ).rejects.toThrow();
  });

  it('puts a fresh nonce on every attempt', async () => {
    const http = new ScriptedHttp(() => ok());
    const attempt = new DeliverAttempt(http, signer);
    const withNonce = { ...endpoint, version: 5, signatureSchemes: ['hookline-v1'] as Scheme[] };
    await attempt.execute(request, withNonce, context.active());
    await attempt.execute(request, withNonce, context.active());
    expect(http.sent[0].headers['x-hookline-nonce']).not.toBe(http.sent[1].headers['x-hookline-nonce']);
  });

  it('sends nothing when key material does not open: moved from another tenant, or sealed under another master key', async () => {
    const http = new ScriptedHttp(() => ok());
    const attempt = new DeliverAttempt(http, signer);
    const moved = { ...endpoint, version: 6, secrets: [{ secret: sealSecret(secret, 'globex'), createdAt: '', expiresAt: null }] };
    const foreign = {
      ...endpoint,
      version: 7,
      secrets: [
        { secret: new MasterKeyring(randomBytes(32)).seal(secret, sealingContext('endpoint-secret', 'acme', ENDPOINT_ID)), createdAt: '', expiresAt: null },
      ],
    };
    for (const broken of [moved, foreign]) {
      const outcome = await attempt.execute(request, broken, context.active());
      expect(outcome).toMatchObject({ succeeded: false, failure: { kind: 'key_unavailable' } });
      expect(outcome.failure?.message).not.toContain('whsec_');
    }
    expect(http.sent).toHaveLength(0);
  });

  it('reports a key-pair scheme without a key instead of sending unsigned', async () => {
    const http = new ScriptedHttp(() => ok());
    const keyless = { ...endpoint, version: 8, signatureSchemes: ['ed25519'] as Scheme[], signingKeys: [] };
    expect(await new DeliverAttempt(http, signer).execute(request, keyless, context.active())).toMatchObject({
      failure: { kind: 'key_unavailable', message: expect.stringContaining('ed25519') },
    });
    expect(http.sent).toHaveLength(0);
  });

  it('posts to a chat endpoint’s sealed URL, opened, and logs only its masked one; the message is its template in the tool’s format', async () => {
    const webhookUrl = 'https://hooks.slack.com/services/T000/B000/XXXXXXXXXXXXXXXX';
    const slack = EndpointConfigSchema.parse({
      ...endpoint,
      url: 'https://hooks.slack.com/…',
      headers: {},
      signingKeys: [],
      chat: {
        tool: 'slack',
        url: keyring.seal(webhookUrl, sealingContext('chat-url', 'acme', ENDPOINT_ID)),
        template: { text: 'Paid: {{ data.amount }}', fields: [] },
      },
    });
    const http = new ScriptedHttp(() => ok());
    const outcome = await new DeliverAttempt(http, signer, clockAt('2026-11-22T10:00:00Z')).execute(request, slack, context.active());
    expect(http.sent.map((r) => r.url)).toEqual([webhookUrl]);
    expect(JSON.parse(http.sent[0].body)).toEqual({ text: 'Paid: 1', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'Paid: 1' } }] });
    expect(outcome.url).toBe('https://hooks.slack.com/…');
    expect(JSON.stringify(outcome)).not.toContain('XXXXXXXXXXXXXXXX');
  });

  it('sends nothing to a chat endpoint whose URL does not open (sealed for another endpoint), and says so', async () => {
    const moved = EndpointConfigSchema.parse({
      ...endpoint,
      signingKeys: [],
      chat: { tool: 'discord', url: keyring.seal('https://discord.com/api/webhooks/1/abc', sealingContext('chat-url', 'acme', 'another')) },
    });
    const http = new ScriptedHttp(() => ok());
    // A signer of its own: the shared one holds this endpoint version's material, opened by the test above.
    const outcome = await new DeliverAttempt(http, new EndpointSigner(keyring), clockAt('2026-11-22T10:00:00Z')).execute(request, moved, context.active());
    expect(http.sent).toEqual([]);
    expect(outcome.failure).toMatchObject({ kind: 'key_unavailable' });
  });
});
