import { deliveryBody, EndpointIdSchema, EventEnvelopeSchema, sealingContext, TenantIdSchema, type EventEnvelope } from '@hookline/contracts';
import { verifyWebhook } from '@hookline/verify';
import { createHmac, createPrivateKey, createPublicKey, createSecretKey, generateKeyPairSync, sign as cryptoSign, type KeyObject } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { buildDeliveryRequest, RESERVED_HEADERS, TEST_HEADER, type DeliveryRequestInput } from './delivery-request';
import { keyIdOf } from './keys';
import { openKeyMaterial, signingSchemes, type KeyMaterial } from './key-material';
import type { SchemeConfig } from './sign-request';

/*
 * The request every attempt, preview and test send is built by. Expected
 * values are computed here with node:crypto from the wire format (README,
 * "The delivery request"), not by the library's own signers.
 */

const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const hmacKey = Buffer.from(secret.slice('whsec_'.length), 'base64');
const seed = Buffer.alloc(32, 7);
const edKey = createPrivateKey({ key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]), format: 'der', type: 'pkcs8' });
const { privateKey: rsaKey, publicKey: rsaPublic } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const rsaKeyId = keyIdOf(rsaPublic);

const event: EventEnvelope = EventEnvelopeSchema.parse({
  id: 'evt_1',
  tenantId: 'acme',
  type: 'invoice.paid',
  data: { amount: 1, note: 'ü' },
  occurredAt: '2026-11-22T09:59:00.000Z',
  receivedAt: '2026-11-22T09:59:01.000Z',
});
const body = deliveryBody(event);
const timestamp = 1_795_600_000;
const nonce = 'AAAAAAAAAAAAAAAAAAAAAA';
const url = 'https://hooks.example.test/in?team=billing';
const deliveryId = '0d2f4c7e-1111-4222-8333-944455556666';
const material: KeyMaterial = { secrets: [{ secret: createHmacKey(), expiresAt: null }], ed25519: [edKey], rsa: [{ keyId: rsaKeyId, privateKey: rsaKey }] };

function createHmacKey(): KeyObject {
  return createSecretKey(hmacKey);
}

const content = `${event.id}.${timestamp}.${body}`;
const expected = {
  v1: `v1,${createHmac('sha256', hmacKey).update(content).digest('base64')}`,
  v1a: `v1a,${cryptoSign(null, Buffer.from(content), edKey).toString('base64')}`,
  hookline: `sha256=${createHmac('sha256', hmacKey).update(`${timestamp}.${nonce}./in?team=billing.${body}`).digest('hex')}`,
  rsa: cryptoSign('sha256', Buffer.from(content), rsaKey).toString('base64'),
};

const schemesOf = (...names: ('v1' | 'hookline-v1' | 'ed25519' | 'rsa-sha256')[]): SchemeConfig[] => {
  const at = new Date(timestamp * 1000);
  const result = signingSchemes({ signatureSchemes: names }, material, at);
  if (!result.ok) throw new Error(result.message);
  return result.schemes;
};

const build = (overrides: Partial<DeliveryRequestInput> = {}) =>
  buildDeliveryRequest({ endpoint: { url, headers: {} }, schemes: schemesOf('v1'), event, deliveryId, timestamp, nonce, ...overrides });

const hooklineHeaders = {
  'content-type': 'application/json',
  'x-hookline-event': 'invoice.paid',
  'x-hookline-delivery': deliveryId,
  'idempotency-key': deliveryId,
};
const ids = { 'webhook-id': 'evt_1', 'webhook-timestamp': String(timestamp) };

describe(buildDeliveryRequest.name, () => {
  it.each([
    ['v1', { ...ids, 'webhook-signature': expected.v1 }],
    ['ed25519', { ...ids, 'webhook-signature': expected.v1a }],
    ['hookline-v1', { ...ids, 'x-hookline-timestamp': String(timestamp), 'x-hookline-nonce': nonce, 'x-hookline-signature': expected.hookline }],
    ['rsa-sha256', { ...ids, 'x-hookline-rsa-signature': expected.rsa, 'x-hookline-key-id': rsaKeyId }],
  ] as const)('posts the event body with exactly the %s headers and Hookline’s own, in wire order', (scheme, signed) => {
    const request = build({ schemes: schemesOf(scheme) });
    expect(request).toEqual({ method: 'POST', url, headers: { ...signed, ...hooklineHeaders }, body });
    expect(Object.keys(request.headers)).toEqual([...Object.keys(signed), ...Object.keys(hooklineHeaders)]);
  });

  it('signs with every scheme at once: v1 before v1a in webhook-signature, each verifying on its own', async () => {
    const request = build({ schemes: schemesOf('rsa-sha256', 'ed25519', 'hookline-v1', 'v1') });
    expect(request.headers).toEqual({
      ...ids,
      'x-hookline-rsa-signature': expected.rsa,
      'x-hookline-key-id': rsaKeyId,
      'x-hookline-timestamp': String(timestamp),
      'x-hookline-nonce': nonce,
      'x-hookline-signature': expected.hookline,
      'webhook-signature': `${expected.v1} ${expected.v1a}`,
      ...hooklineHeaders,
    });
    const now = new Date(timestamp * 1000);
    const trust = {
      secrets: [secret],
      publicKeys: [createPublicPem(edKey), { key: rsaPublic.export({ type: 'spki', format: 'pem' }).toString(), keyId: rsaKeyId }],
    };
    for (const scheme of ['v1', 'hookline-v1', 'ed25519', 'rsa-sha256'] as const) {
      await expect(
        verifyWebhook({ ...trust, schemes: [scheme], body: request.body, headers: request.headers, path: '/in?team=billing', now }),
      ).resolves.toMatchObject({ scheme });
    }
    jest.useFakeTimers({ now });
    try {
      expect(new Webhook(secret).verify(request.body, request.headers)).toEqual(JSON.parse(body));
    } finally {
      jest.useRealTimers();
    }
  });

  it('keeps custom headers as written but never one that would replace a Hookline header, in any case', () => {
    const forging = Object.fromEntries([...RESERVED_HEADERS].map((name) => [name.toUpperCase(), 'forged']));
    const request = build({ endpoint: { url, headers: { 'X-Team': 'billing', Authorization: 'Bearer t', ...forging } } });
    expect(Object.keys(request.headers).slice(0, 2)).toEqual(['X-Team', 'Authorization']);
    expect(request.headers).toMatchObject({ 'X-Team': 'billing', Authorization: 'Bearer t' });
    expect(Object.values(request.headers)).not.toContain('forged');
    expect(request.headers[TEST_HEADER]).toBeUndefined();
  });

  it('marks a test send, and only a test send, with x-hookline-test: true', () => {
    expect(build({ mode: 'test' }).headers[TEST_HEADER]).toBe('true');
    expect(build({ mode: 'live' }).headers[TEST_HEADER]).toBeUndefined();
    expect(build().headers[TEST_HEADER]).toBeUndefined();
  });

  it('adds traceparent last when given and leaves it out otherwise (it is not signed)', () => {
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const traced = build({ traceparent });
    expect(Object.entries(traced.headers).at(-1)).toEqual(['traceparent', traceparent]);
    const { traceparent: _, ...rest } = traced.headers;
    expect(rest).toEqual(build().headers);
    expect('traceparent' in build().headers).toBe(false);
  });

  it('is a pure function of its input: the same timestamp and nonce give the same bytes; a fresh nonce changes only hookline-v1', () => {
    const schemes = schemesOf('v1', 'hookline-v1', 'ed25519', 'rsa-sha256');
    expect(build({ schemes })).toEqual(build({ schemes }));
    const fresh = build({ schemes, nonce: undefined });
    const again = build({ schemes, nonce: undefined });
    expect(fresh.headers['x-hookline-nonce']).not.toBe(again.headers['x-hookline-nonce']);
    expect(fresh.headers['webhook-signature']).toBe(again.headers['webhook-signature']);
    expect(fresh.headers['x-hookline-rsa-signature']).toBe(again.headers['x-hookline-rsa-signature']);
  });
});

describe(signingSchemes.name, () => {
  const at = new Date('2026-11-22T10:00:00Z');

  it('signs with the secrets not yet expired at the attempt’s time', () => {
    const [old, current, gone] = [createHmacKey(), createHmacKey(), createHmacKey()];
    const rotated: KeyMaterial = {
      ...material,
      secrets: [
        { secret: old, expiresAt: '2026-11-22T11:00:00Z' },
        { secret: gone, expiresAt: '2026-11-22T09:00:00Z' },
        { secret: current, expiresAt: null },
      ],
    };
    expect(signingSchemes({ signatureSchemes: ['v1', 'hookline-v1'] }, rotated, at)).toEqual({
      ok: true,
      schemes: [
        { scheme: 'v1', secrets: [old, current] },
        { scheme: 'hookline-v1', secrets: [old, current] },
      ],
    });
  });

  it('says why nothing can be signed: every secret expired, or a key-pair scheme without a key', () => {
    const expired: KeyMaterial = { ...material, secrets: [{ secret: createHmacKey(), expiresAt: '2000-01-01T00:00:00Z' }] };
    expect(signingSchemes({ signatureSchemes: ['v1'] }, expired, at)).toMatchObject({ ok: false, kind: 'no_valid_secret' });
    expect(signingSchemes({ signatureSchemes: ['ed25519'] }, { ...material, ed25519: [] }, at)).toMatchObject({
      ok: false,
      kind: 'key_unavailable',
      message: expect.stringContaining('ed25519'),
    });
    expect(signingSchemes({ signatureSchemes: ['rsa-sha256'] }, { ...material, rsa: [] }, at)).toMatchObject({ ok: false, kind: 'key_unavailable' });
  });
});

describe(openKeyMaterial.name, () => {
  // A stand-in keyring that binds each value to its context, as the master keyring does with AES-GCM associated data.
  const keyring = { open: (sealed: string, context: string) => (sealed.startsWith(`${context}|`) ? sealed.slice(context.length + 1) : fail()) };
  const fail = (): never => {
    throw new Error('does not open');
  };
  const endpoint = { id: EndpointIdSchema.parse('5b7c7a0e-8a3c-4d0e-9a53-1f6f2a4e9c11'), tenantId: TenantIdSchema.parse('acme') };
  const seal = (purpose: 'endpoint-secret' | 'signing-key', value: string, tenantId = 'acme') => `${sealingContext(purpose, tenantId, endpoint.id)}|${value}`;

  it('opens the secrets and private keys of the endpoint they were sealed for', () => {
    const opened = openKeyMaterial(
      {
        ...endpoint,
        secrets: [{ secret: seal('endpoint-secret', secret), createdAt: '', expiresAt: null }],
        signingKeys: [
          { keyId: 'k', algorithm: 'ed25519', privateKey: seal('signing-key', `whsk_${seed.toString('base64')}`), createdAt: '' },
          {
            keyId: rsaKeyId,
            algorithm: 'rsa-sha256',
            privateKey: seal('signing-key', rsaKey.export({ type: 'pkcs8', format: 'pem' }).toString()),
            createdAt: '',
          },
        ],
      },
      keyring,
    );
    expect(opened.secrets[0].secret.export().equals(hmacKey)).toBe(true);
    expect(opened.ed25519[0].export({ type: 'pkcs8', format: 'der' }).equals(edKey.export({ type: 'pkcs8', format: 'der' }))).toBe(true);
    expect(opened.rsa.map((k) => k.keyId)).toEqual([rsaKeyId]);
  });

  it('throws for a value moved from another tenant’s endpoint', () => {
    const moved = { ...endpoint, secrets: [{ secret: seal('endpoint-secret', secret, 'globex'), createdAt: '', expiresAt: null }], signingKeys: [] };
    expect(() => openKeyMaterial(moved, keyring)).toThrow('does not open');
  });
});

function createPublicPem(privateKey: KeyObject): string {
  return createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString();
}
