import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { WebhookVerificationError, type VerificationErrorCode } from './errors';
import { signedHeaders, signV1, type Message } from './fixtures';
import { keyIdOf } from './keys';
import { MemoryNonceStore } from './nonce-store';
import { createWebhookVerifier, verifyWebhook, type VerifierOptions, type WebhookRequest } from './verifier';

const VECTOR = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};

const secret = () => `whsec_${randomBytes(32).toString('base64')}`;
const now = new Date();
const nowSeconds = Math.floor(now.getTime() / 1000);
const message = (over: Partial<Message> = {}): Message => ({
  id: 'evt_1',
  timestamp: String(nowSeconds),
  nonce: randomBytes(16).toString('base64url'),
  path: '/hooks?tenant=acme',
  body: '{"type":"invoice.paid","data":{"amount":10}}',
  ...over,
});

async function failure(options: VerifierOptions & WebhookRequest): Promise<{ code: VerificationErrorCode; header?: string; message: string }> {
  try {
    await verifyWebhook({ now, ...options });
  } catch (error) {
    if (!(error instanceof WebhookVerificationError)) throw error;
    return { code: error.code, header: error.header, message: error.message };
  }
  throw new Error('expected the request to be refused');
}

describe(verifyWebhook.name, () => {
  describe('Standard Webhooks v1', () => {
    it('accepts the Standard Webhooks test vector', async () => {
      const headers = { 'webhook-id': VECTOR.id, 'webhook-timestamp': String(VECTOR.timestamp), 'webhook-signature': VECTOR.signature };
      await expect(verifyWebhook({ body: VECTOR.body, headers, secrets: [VECTOR.secret], now: new Date(VECTOR.timestamp * 1000) })).resolves.toEqual({
        scheme: 'v1',
        id: VECTOR.id,
        timestamp: VECTOR.timestamp,
      });
    });

    it('accepts what the standardwebhooks package signs, and the package accepts what it accepts', async () => {
      const key = secret();
      const body = JSON.stringify({ hello: 'world' });
      const signature = new Webhook(key).sign('msg_1', now, body);
      const headers = { 'webhook-id': 'msg_1', 'webhook-timestamp': String(nowSeconds), 'webhook-signature': signature };
      await expect(verifyWebhook({ body, headers, secrets: [key], now })).resolves.toMatchObject({ scheme: 'v1', id: 'msg_1' });
      const ours = { ...headers, 'webhook-signature': signV1([key], { ...message(), id: 'msg_1', body }) };
      expect(new Webhook(key).verify(body, ours)).toEqual({ hello: 'world' });
    });

    it('accepts a Buffer body, header names in any case, repeated signature lines and fetch Headers', async () => {
      const key = secret();
      const m = message();
      const headers = signedHeaders('v1', { secrets: [key] }, m);
      const body = Buffer.from(m.body);
      const shouting = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toUpperCase(), v]));
      await expect(verifyWebhook({ body, headers: shouting, secrets: [key], now })).resolves.toMatchObject({ scheme: 'v1' });
      const repeated = { ...headers, 'webhook-signature': [signV1([secret()], m), headers['webhook-signature']] };
      await expect(verifyWebhook({ body, headers: repeated, secrets: [key], now })).resolves.toMatchObject({ scheme: 'v1' });
      await expect(verifyWebhook({ body, headers: new Headers(headers), secrets: [key], now })).resolves.toMatchObject({ scheme: 'v1' });
    });

    it('tries every configured secret', async () => {
      const key = secret();
      const headers = signedHeaders('v1', { secrets: [key] }, message());
      await expect(verifyWebhook({ body: message().body, headers, secrets: [secret(), key], now })).resolves.toMatchObject({ scheme: 'v1' });
    });
  });

  describe('timestamps', () => {
    const key = secret();
    const at = (timestamp: string) => ({ body: message().body, headers: signedHeaders('v1', { secrets: [key] }, message({ timestamp })), secrets: [key] });

    it('accepts exactly the tolerance either way and refuses one second more', async () => {
      await expect(verifyWebhook({ ...at(String(nowSeconds - 300)), now })).resolves.toEqual({ scheme: 'v1', id: 'evt_1', timestamp: nowSeconds - 300 });
      await expect(verifyWebhook({ ...at(String(nowSeconds + 300)), now })).resolves.toEqual({ scheme: 'v1', id: 'evt_1', timestamp: nowSeconds + 300 });
      expect(await failure(at(String(nowSeconds - 301)))).toMatchObject({ code: 'timestamp_too_old', header: 'webhook-timestamp' });
      expect(await failure(at(String(nowSeconds + 301)))).toMatchObject({ code: 'timestamp_too_new', header: 'webhook-timestamp' });
    });

    it('honours a configured tolerance', async () => {
      expect(await failure({ ...at(String(nowSeconds - 61)), toleranceSeconds: 60 })).toMatchObject({ code: 'timestamp_too_old' });
      await expect(verifyWebhook({ ...at(String(nowSeconds - 900)), toleranceSeconds: 1000, now })).resolves.toEqual({
        scheme: 'v1',
        id: 'evt_1',
        timestamp: nowSeconds - 900,
      });
    });

    it.each(['', ' 1614265330', '1614265330 ', '+1614265330', '-5', '1e9', '0x63', '16142653300', '1614265330.5', '١٦١٤٢٦٥٣٣٠', '１６１４２６５３３０'])(
      'refuses the timestamp %p',
      async (timestamp) => {
        const result = await failure(at(timestamp));
        expect(result.code).toBe(timestamp === '' ? 'missing_header' : 'bad_timestamp');
        expect(result.message).toContain('webhook-timestamp');
      },
    );
  });

  describe('failures name what failed', () => {
    const key = secret();
    const m = message();
    const headers = signedHeaders('v1', { secrets: [key] }, m);

    it.each(['webhook-id', 'webhook-timestamp'])('a missing %s', async (name) => {
      const { [name]: _gone, ...rest } = headers;
      expect(await failure({ body: m.body, headers: rest, secrets: [key] })).toEqual({
        code: 'missing_header',
        header: name,
        message: `missing header ${name}`,
      });
    });

    it('no signature header at all', async () => {
      expect(await failure({ body: m.body, headers: {}, secrets: [key] })).toMatchObject({
        code: 'missing_header',
        message: 'missing signature header: expected x-hookline-signature or webhook-signature',
      });
    });

    it('a signature of the wrong length, without throwing anything else', async () => {
      for (const signature of ['v1,', 'v1,AAAA', 'v1,' + 'A'.repeat(1000), 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE', 'v1,ü']) {
        expect(await failure({ body: m.body, headers: { ...headers, 'webhook-signature': signature }, secrets: [key] })).toMatchObject({
          code: 'bad_signature',
          header: 'webhook-signature',
        });
      }
    });

    it('a wrong secret', async () => {
      expect(await failure({ body: m.body, headers, secrets: [secret()] })).toMatchObject({
        code: 'bad_signature',
        message: 'no signature in header webhook-signature matches',
      });
    });

    it('a signature for which no key is configured', async () => {
      const { publicKey } = generateKeyPairSync('ed25519');
      expect(await failure({ body: m.body, headers, publicKeys: [publicKey] })).toMatchObject({ code: 'no_key' });
    });

    it('a header sent twice where only one is allowed', async () => {
      expect(await failure({ body: m.body, headers: { ...headers, 'webhook-id': ['a', 'b'] }, secrets: [key] })).toMatchObject({
        code: 'bad_header',
        header: 'webhook-id',
      });
    });

    it('a parsed body, as a programming error rather than a refusal', async () => {
      await expect(verifyWebhook({ body: JSON.parse(m.body as string), headers, secrets: [key], now })).rejects.toThrow(TypeError);
    });

    it('no key at all, an unknown scheme or an invalid clock, as programming errors', async () => {
      expect(() => createWebhookVerifier({})).toThrow(TypeError);
      expect(() => createWebhookVerifier({ secrets: [key], schemes: ['V1' as 'v1'] })).toThrow('unknown scheme V1');
      await expect(verifyWebhook({ body: m.body, headers, secrets: [key], now: new Date(NaN) })).rejects.toThrow('invalid Date');
    });
  });

  describe('hookline-v1', () => {
    const key = secret();

    it('verifies the path and query as received and returns the nonce, not the uncovered webhook-id', async () => {
      const m = message();
      const headers = { ...signedHeaders('hookline-v1', { secrets: [key] }, m), 'webhook-id': 'evt_1' };
      await expect(verifyWebhook({ body: m.body, headers, path: m.path, secrets: [key], now })).resolves.toEqual({
        scheme: 'hookline-v1',
        timestamp: nowSeconds,
        nonce: m.nonce,
      });
    });

    it('refuses the same request sent to another path', async () => {
      const m = message();
      const headers = signedHeaders('hookline-v1', { secrets: [key] }, m);
      expect(await failure({ body: m.body, headers, path: '/hooks?tenant=other', secrets: [key] })).toMatchObject({
        code: 'bad_signature',
        header: 'x-hookline-signature',
      });
    });

    it('refuses a replayed nonce, but a refused forgery does not use the nonce up', async () => {
      const nonceStore = new MemoryNonceStore();
      const m = message();
      const headers = signedHeaders('hookline-v1', { secrets: [key] }, m);
      const request = { headers, path: m.path, secrets: [key], nonceStore };
      expect(await failure({ ...request, body: 'forged' })).toMatchObject({ code: 'bad_signature' });
      await expect(verifyWebhook({ ...request, body: m.body, now })).resolves.toMatchObject({ scheme: 'hookline-v1', nonce: m.nonce });
      expect(await failure({ ...request, body: m.body })).toEqual({
        code: 'replayed_nonce',
        header: 'x-hookline-nonce',
        message: 'header x-hookline-nonce was already used',
      });
    });

    it('refuses a replay in the last second the window accepts', async () => {
      const lastMoment = new Date((nowSeconds + 300) * 1000 + 999);
      const nonceStore = new MemoryNonceStore({ now: () => lastMoment.getTime() });
      const m = message();
      const request = { body: m.body, headers: signedHeaders('hookline-v1', { secrets: [key] }, m), path: m.path, secrets: [key], nonceStore, now: lastMoment };
      await expect(verifyWebhook(request)).resolves.toMatchObject({ scheme: 'hookline-v1', nonce: m.nonce });
      expect(await failure(request)).toMatchObject({ code: 'replayed_nonce' });
    });

    it('refuses a malformed nonce', async () => {
      const m = message({ nonce: 'short' });
      const headers = signedHeaders('hookline-v1', { secrets: [key] }, m);
      expect(await failure({ body: m.body, headers, path: m.path, secrets: [key] })).toMatchObject({ code: 'bad_header', header: 'x-hookline-nonce' });
    });

    it('needs the path, as a programming error', async () => {
      const m = message();
      await expect(verifyWebhook({ body: m.body, headers: signedHeaders('hookline-v1', { secrets: [key] }, m), secrets: [key], now })).rejects.toThrow(
        /pass path/,
      );
    });

    it('is chosen over v1 when both are present, and a pinned scheme refuses the downgrade to v1', async () => {
      const m = message();
      const both = { ...signedHeaders('v1', { secrets: [key] }, m), ...signedHeaders('hookline-v1', { secrets: [key] }, m) };
      await expect(verifyWebhook({ body: m.body, headers: both, path: m.path, secrets: [key], now })).resolves.toMatchObject({ scheme: 'hookline-v1' });
      const stripped = signedHeaders('v1', { secrets: [key] }, m);
      expect(await failure({ body: m.body, headers: stripped, path: m.path, secrets: [key], schemes: ['hookline-v1'] })).toMatchObject({
        code: 'missing_header',
        header: 'x-hookline-signature',
      });
    });
  });

  describe('ed25519', () => {
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const whpk = `whpk_${Buffer.from(publicKey.export({ format: 'jwk' }).x as string, 'base64url').toString('base64')}`;

    it('verifies v1a with a whpk_ key, a PEM key or a KeyObject', async () => {
      const m = message();
      const headers = signedHeaders('ed25519', { ed25519: [privateKey] }, m);
      for (const key of [whpk, publicKey.export({ format: 'pem', type: 'spki' }).toString(), publicKey, { key: whpk, keyId: 'k1' }]) {
        await expect(verifyWebhook({ body: m.body, headers, publicKeys: [key], now })).resolves.toEqual({
          scheme: 'ed25519',
          id: 'evt_1',
          timestamp: nowSeconds,
        });
      }
    });

    it('prefers v1a over v1 in a header carrying both', async () => {
      const m = message();
      const key = secret();
      const headers = signedHeaders('v1', { secrets: [key] }, m);
      headers['webhook-signature'] += ' ' + signedHeaders('ed25519', { ed25519: [privateKey] }, m)['webhook-signature'];
      await expect(verifyWebhook({ body: m.body, headers, secrets: [key], publicKeys: [publicKey], now })).resolves.toMatchObject({ scheme: 'ed25519' });
      await expect(verifyWebhook({ body: m.body, headers, secrets: [key], now })).resolves.toMatchObject({ scheme: 'v1' });
    });

    it('refuses a signature by an untrusted key', async () => {
      const m = message();
      const headers = signedHeaders('ed25519', { ed25519: [generateKeyPairSync('ed25519').privateKey] }, m);
      expect(await failure({ body: m.body, headers, publicKeys: [whpk] })).toMatchObject({ code: 'bad_signature', header: 'webhook-signature' });
    });
  });

  describe('rsa-sha256', () => {
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const keyId = keyIdOf(pair.publicKey);

    it('verifies with the key named in X-Hookline-Key-Id, found by thumbprint or by the id given', async () => {
      const m = message();
      const headers = signedHeaders('rsa-sha256', { rsa: [{ keyId, privateKey: pair.privateKey }] }, m);
      const pem = pair.publicKey.export({ format: 'pem', type: 'spki' }).toString();
      await expect(verifyWebhook({ body: m.body, headers, publicKeys: [other.publicKey, pem], now })).resolves.toEqual({
        scheme: 'rsa-sha256',
        id: 'evt_1',
        timestamp: nowSeconds,
        keyId,
      });
      const named = signedHeaders('rsa-sha256', { rsa: [{ keyId: 'key-2026', privateKey: pair.privateKey }] }, m);
      await expect(verifyWebhook({ body: m.body, headers: named, publicKeys: [{ key: pem, keyId: 'key-2026' }], now })).resolves.toMatchObject({
        scheme: 'rsa-sha256',
        keyId: 'key-2026',
      });
    });

    it('tries every trusted RSA key when no key id is sent', async () => {
      const m = message();
      const { 'x-hookline-key-id': _id, ...headers } = signedHeaders('rsa-sha256', { rsa: [{ keyId, privateKey: pair.privateKey }] }, m);
      await expect(verifyWebhook({ body: m.body, headers, publicKeys: [other.publicKey, pair.publicKey], now })).resolves.toMatchObject({
        scheme: 'rsa-sha256',
        keyId,
      });
    });

    it('says no_key when no trusted key has a listed id, and bad_header when ids and signatures do not pair up', async () => {
      const m = message();
      const headers = signedHeaders('rsa-sha256', { rsa: [{ keyId, privateKey: pair.privateKey }] }, m);
      expect(await failure({ body: m.body, headers, publicKeys: [other.publicKey] })).toMatchObject({ code: 'no_key', header: 'x-hookline-key-id' });
      expect(await failure({ body: m.body, headers: { ...headers, 'x-hookline-key-id': `${keyId},${keyId}` }, publicKeys: [pair.publicKey] })).toMatchObject({
        code: 'bad_header',
        header: 'x-hookline-key-id',
      });
    });

    it('refuses a header listing more signatures than a rotation needs, before checking any', async () => {
      const m = message();
      const one = signedHeaders('rsa-sha256', { rsa: [{ keyId, privateKey: pair.privateKey }] }, m);
      const many = {
        ...one,
        'x-hookline-rsa-signature': Array(9).fill(one['x-hookline-rsa-signature']).join(','),
        'x-hookline-key-id': Array(9).fill(keyId).join(','),
      };
      expect(await failure({ body: m.body, headers: many, publicKeys: [pair.publicKey] })).toMatchObject({
        code: 'bad_header',
        header: 'x-hookline-rsa-signature',
      });
    });

    it('refuses a signature by another key under a trusted key id', async () => {
      const m = message();
      const headers = signedHeaders('rsa-sha256', { rsa: [{ keyId, privateKey: other.privateKey }] }, m);
      expect(await failure({ body: m.body, headers, publicKeys: [pair.publicKey] })).toMatchObject({
        code: 'bad_signature',
        header: 'x-hookline-rsa-signature',
      });
    });
  });
});
